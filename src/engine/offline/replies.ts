import type { Environment, KnowledgeHit, TurnInput, TurnResult } from '../../types/index.ts';
import { redactPII } from '../redact.ts';
import { problemStatements } from '../triage/canonical.ts';
import { DETAILS_LEAD, type MissingDetail, NOT_SURE_LEAD, REPORT_OFFER } from './classify.ts';

/** Longest extract quoted from the docs. */
const MAX_EXTRACT_CHARS = 900;
/** Longest ticket summary, in characters. */
const MAX_SUMMARY_CHARS = 280;

const ASK: Record<MissingDetail, string> = {
  environment: 'what device or browser and app version are you on',
  circumstance: 'what exactly happens, and what you were doing when it happened',
};

/** What the offline assistant says for a verdict; never an error string. */
export function writeReply(
  state: TurnResult['state'],
  missing: readonly MissingDetail[],
  environment: Environment,
  hit: KnowledgeHit | undefined,
  offerReport = false,
): string {
  switch (state) {
    case 'RESOLVED':
      return "Glad that's sorted! If anything else comes up, just write here again.";
    case 'ESCALATE_HUMAN':
      return "I've asked a member of our support team to join. A human will reply right here shortly. You can keep adding details in the meantime.";
    case 'RAISE_TICKET': {
      const noted = describe(environment);
      return `Thanks, that's what the team needs. I've filed this as a bug report so the developers can look into it${noted ? ` (noted: ${noted})` : ''}.`;
    }
    case 'CONTINUE':
      if (missing.length > 0) {
        return `Sorry you're running into this. ${DETAILS_LEAD}, could you tell me ${missing.map((m) => ASK[m]).join(', and ')}?`;
      }
      if (hit && offerReport) {
        return `${extract(hit)}\n\n${REPORT_OFFER}, tell me your device or browser and app version, and I'll file it for the team.`;
      }
      if (hit) return extract(hit);
      return `${NOT_SURE_LEAD}, and I'd rather not guess. Could you tell me a bit more about what you're trying to do? Or, if you'd like a person from our support team to take a look, just reply "yes".`;
  }
}

/** The environment as the customer gave it, for the acknowledgement: "iPhone 14, iOS 17, app 3.2.1". */
function describe(env: Environment): string {
  // An OS named only by the device ("iPhone" → "iOS") adds nothing to the device.
  const os = env.os && (/\d/.test(env.os) || !env.device) ? env.os : null;
  const app = env.appVersion ? `app ${env.appVersion}` : null;
  return [env.device, os, env.browser, app].filter((part) => part !== null).join(', ');
}

/** Quotes the passage (or its opening paragraphs) and names the section it came from. */
export function extract(hit: KnowledgeHit): string {
  let body = hit.text.trim();
  if (body.length > MAX_EXTRACT_CHARS) {
    const paragraphs = body.split(/\n{2,}/);
    body = '';
    for (const p of paragraphs) {
      if (body && body.length + p.length > MAX_EXTRACT_CHARS) break;
      body += `${p}\n\n`;
    }
    body = `${body.trim().slice(0, MAX_EXTRACT_CHARS)}…`;
  }
  return `${body}\n\n_Source: ${hit.section}_`;
}

/**
 * A short redacted summary of the problem: the customer's recent lines that say something
 * about it, without lines that only give the app version or only say "that did not help".
 */
export function summarize(input: TurnInput): string {
  const lines = input.history
    .filter((h) => h.role === 'customer')
    .map((h) => h.text.trim())
    .slice(-4);
  const telling = lines.filter((line) => problemStatements(line).length > 0);
  const text = (telling.length > 0 ? telling : lines).join(' — ') || input.text;
  const clean = redactPII(text).replace(/\s+/g, ' ').trim();
  return clean.length > MAX_SUMMARY_CHARS ? `${clean.slice(0, MAX_SUMMARY_CHARS - 3)}…` : clean;
}
