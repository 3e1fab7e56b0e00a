/**
 * The rules half of the offline classifier: how customers say they want a person, that
 * something is broken, that they dispute a charge, or that they are done. Every pattern is
 * about support conversations in general, not about any one product: a product's own words
 * come from its docs and glossary, never from here.
 */

const PERSON = String.raw`(?:some\s*one|somebody|any\s*one|anybody|a\s+(?:real\s+|live\s+|actual\s+)?(?:human|person|agent|rep(?:resentative)?|operator|manager|supervisor)|(?:real|live|actual)\s+(?:human|person|people|agent)|(?:a\s+)?human(?:\s+being)?|(?:an?\s+)?(?:agent|operator|representative|rep|supervisor|manager)|(?:your|the|a)\s+(?:support\s+|customer\s+service\s+|service\s+|help\s*desk\s+)?(?:team|staff|support|people|humans|agents|department)|customer\s+(?:service|support|care)|support(?:\s+staff)?|people)`;

export const HUMAN_REQUEST = new RegExp(
  [
    // "talk to a person", "speak with your team", "chat with someone real"
    String.raw`\b(?:talk|speak|chat|get\s+in\s+touch|be\s+in\s+touch)\s+(?:to|with)\s+${PERSON}`,
    // "put me through to someone", "connect me with an agent", "transfer me"
    String.raw`\b(?:put|patch)\s+me\s+through\b|\b(?:connect|transfer|forward|pass)\s+me\b|\bhand\s+(?:me|this)\s+(?:over|off)\b`,
    // "can a real person look at this", "could someone from your team check"
    String.raw`\b(?:can|could|would|will|may)\s+(?:i\s+(?:get|have|reach)\s+)?${PERSON}\s+(?:from\s+\S+\s+(?:team|support)\s+)?(?:please\s+)?(?:look|check|help|contact|call|email|reach|get\s+back|take\s+a\s+look|review|handle|see)`,
    // "I'd like to speak", "I want a human", "I need an agent", "get me someone"
    String.raw`\b(?:i'?d\s+like|i\s+would\s+like|i\s+want|i\s+need|let\s+me|get\s+me|give\s+me|i'?m\s+asking\s+for|requesting)\s+(?:to\s+(?:talk|speak|chat)\b|${PERSON})`,
    // "real person please", "human please", "is anyone there", "not a bot", "stop the bot"
    String.raw`\b(?:human|person|agent|someone|somebody|representative|operator)[,!.\s]+please\b`,
    String.raw`\b(?:not|no\s+more|stop\s+(?:the|this))\s+(?:a\s+)?(?:bot|robot|machine|ai|automated)\b|\bam\s+i\s+(?:talking|chatting)\s+to\s+a\s+(?:bot|robot|machine)\b|\bis\s+(?:any|some)\s*(?:one|body)\s+(?:there|around|real)\b`,
    String.raw`\bescalat(?:e|ion)\b|\bcall\s+me\s+back\b|\bphone\s+number\s+(?:for|of)\s+support\b`,
  ].join('|'),
  'i',
);

// Money taken that the customer did not expect, and what they want done about it.
const MONEY = String.raw`(?:charg(?:e|ed|es|ing)|bill(?:ed|ing)?|invoic(?:e|ed)|debit(?:ed)?|paid|pay(?:ing|ment)|took\s+(?:the\s+)?money|taken\s+from\s+my|subscription\s+fee|fee)`;
export const BILLING_DISPUTE = new RegExp(
  [
    String.raw`\b(?:refund(?:ed|s)?|money\s+back|reimburs\w+|chargeback|charge\s+back|dispute\s+(?:the|this|a)\s+(?:charge|payment)|credit\s+(?:it\s+)?back)\b`,
    String.raw`\b(?:charged|billed|debited|invoiced)\s+(?:me\s+)?(?:twice|double|two\s+times|again|extra|too\s+much|more\s+than|the\s+wrong|for\s+something|even\s+though|after|without)\b`,
    String.raw`\b(?:double|duplicate|unauthori[sz]ed|unexpected|unknown|extra|wrong|incorrect|mystery|surprise)\s+(?:charge|payment|bill|billing|invoice|transaction|fee)s?\b|\bovercharg\w*`,
    String.raw`\bwhy\s+(?:was|were|am|did|have|has|is)\s+(?:i|me|you|my\s+card|my\s+account|it)\s+(?:being\s+|been\s+|still\s+)?(?:${MONEY})\b`,
    String.raw`\b(?:cancel(?:l?ed)?|unsubscribed|closed\s+my\s+account)\b.{0,60}\b(?:still|again|anyway|but)\b.{0,30}\b${MONEY}`,
    String.raw`\b${MONEY}\b.{0,40}\bafter\s+(?:i\s+)?(?:cancel\w*|unsubscrib\w*|clos\w+)`,
    String.raw`\b(?:want|need|give\s+me|i'?d\s+like)\s+(?:my\s+|the\s+|it\s+)?(?:money|payment|charge|it)\s+back\b`,
    String.raw`\b(?:didn'?t|did\s+not|never)\s+(?:authori[sz]e|agree\s+to|sign\s+up\s+for|order|buy|ask\s+for)\b.{0,40}\b${MONEY}`,
  ].join('|'),
  'i',
);

/** A question about how to do something ("how do I…", "where can I…", "is it possible…"). */
export const HOW_TO =
  /^\s*(?:(?:hi|hello|hey)[,!.\s]+)?(?:how\s+(?:do|can|could|should|would|to)\b|how\s+(?:does|is)\s+\w+\s+(?:work|set|done)|where\s+(?:do|can|is|are|should)\b|what\s+(?:is|are|does|do)\b|can\s+i\b|could\s+i\b|is\s+(?:it|there)\s+(?:possible|a\s+way)|are\s+there\b|do\s+you\s+(?:support|have|offer)|which\b|when\s+(?:do|does|will|is)\b|what'?s\s+the\s+(?:best|right)\s+way)/i;

export const MALFUNCTION =
  /\b(crash(es|ed|ing)?|freez(es|ing)|froze|frozen|hangs?|hung|stuck|broken|breaks|broke|bug(gy|s)?|glitch\w*|errors?|fail(s|ed|ing|ure)?|not\s+(working|loading|showing|saving|sending|syncing|updating|arriving|opening|responding|going\s+through)|isn'?t\s+(working|loading|showing|saving|sending|syncing|updating|arriving|opening)|doesn'?t\s+(work|load|open|show|save|send|sync|update|arrive|respond|appear|do\s+anything)|don'?t\s+(work|load|arrive|show|appear)|does\s+not\s+(work|load|open|show|save|send|sync|update|arrive)|won'?t\s+(load|open|work|start|save|send|sync|let\s+me|go\s+through|connect|update)|can'?t\s+(load|open|save|log\s*in|login|sign\s*in|check\s*out|pay|connect|upload|access|see|find\s+my)|cannot\s+(load|open|save|log\s*in|login|sign\s*in|pay|connect|upload|access)|unable\s+to|no\s+longer|stopped\s+(working|syncing|sending|loading|showing|arriving)|blank\s+(screen|page)|(is|goes|went|stays|shows|turns)\s+(blank|empty|white)|white\s+screen|(keeps|kept)\s+(closing|crashing|failing|spinning|loading|logging\s+me\s+out|asking|resetting|disappearing)|closes\s+(the\s+app|itself|by\s+itself|on\s+me)|dies|died|timed?\s*out|time\s*out|nothing\s+happens|disappear(s|ed)?|vanish(es|ed)?|never\s+(arrives?|arrived|came|loads?|shows?)|(hours?|days?|way)\s+late|delayed|wrong\s+(amount|total|price|date|time|number|order|data)|shows?\s+(the\s+)?wrong|incorrect(ly)?|missing|duplicated?|twice|spinn(ing|er)|lag(s|gy|ging)?|slow(s\s+down)?|laggy|unresponsive|glitchy|corrupt(ed)?)\b/i;

/** When or where it happens: what makes a report something developers can reproduce. */
export const CIRCUMSTANCE =
  /\b(when(ever)?\s+i|every\s*time|each\s+time|after\s+(i|the|updating|upgrading|installing)|since\s+(the|i|updating|yesterday|last|this)|as\s+soon\s+as|on\s+the\s+\w+\s+(screen|page|step|tab)|at\s+the\s+\w+\s+(step|screen|page)|if\s+i|while\s+i|trying\s+to|tried\s+to|i\s+tap|i\s+click|i\s+press|i\s+open|i\s+go\s+to)\b/i;

export const THANKS_DONE =
  /^\s*(thanks?|thank\s+you|thx|ty|cheers|perfect|great|awesome|that\s+(worked|works|helped|did\s+it|fixed\s+it)|it\s+works(\s+now)?|(problem\s+)?solved|all\s+good|got\s+it|never\s*mind|nvm|resolved|fixed)\b[\s\S]{0,60}$/i;

/** The customer's answer to "would you like a person?": yes. */
export const YES =
  /^\s*(yes|yeah|yep|yup|sure|ok(ay)?|please|y|yes\s+please|please\s+do|go\s+ahead|do\s+it)\b[\s.!]*$/i;

export const ANGRY =
  /(!{3,}|\b(ridiculous|unacceptable|furious|worst|terrible|useless|garbage|scam|wtf|angry|fed\s+up|pathetic)\b)/i;
export const NEGATIVE =
  /\b(annoying|frustrat\w*|disappoint\w*|upset|unhappy|again|still|sad|bad|awful|hate|crash\w*|broken)\b/i;
export const POSITIVE =
  /\b(thanks?|thank\s+you|great|love|awesome|perfect|helpful|amazing|nice)\b/i;

export const CRITICAL =
  /\b(data\s+loss|lost\s+(all\s+)?(my\s+)?(data|orders|files|work|history)|security|hacked|breach|everyone|all\s+(customers|users|orders)|(site|store|service|server|system)\s+(is\s+)?down|outage|can'?t\s+(take|accept)\s+(payments|orders))\b/i;
export const HIGH =
  /\b(crash\w*|can'?t\s+(log\s*in|login|sign\s*in|pay|check\s*out)|payments?\s+fail\w*|checkout\s+(fails|broken|error)|locked\s+out|every\s+time|urgent|asap)\b/i;
export const COSMETIC =
  /\b(typo|misaligned|alignment|colou?r|font|cosmetic|spacing|looks\s+off|icon)\b/i;

/** Example sentences per intent for the embeddings half of the classifier. */
export const PROTOTYPES: Record<'human' | 'bug' | 'billing' | 'thanks', string[]> = {
  human: [
    'I want to talk to a person',
    'can I speak with a human agent',
    'please connect me to customer support staff',
    'I need a real person to help me',
    'can someone from your team look at this',
    "I'd like to speak with someone on your team",
    'put me through to a representative',
  ],
  bug: [
    'the app crashes when I open it',
    'I get an error message when I try to save',
    'the page is broken and nothing loads',
    'it stopped working after the update',
    'the screen goes blank and nothing happens',
    'it keeps failing every time I try',
  ],
  billing: [
    'I was charged twice and want a refund',
    'please refund my payment',
    'you billed me after I cancelled',
    'cancel my subscription and give my money back',
    'there is a charge on my card I did not make',
  ],
  thanks: [
    'thanks, that solved it',
    'great, it works now',
    'thank you for your help',
    'perfect, all sorted',
  ],
};
