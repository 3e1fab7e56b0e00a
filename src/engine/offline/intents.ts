/**
 * The rules half of the offline classifier: patterns for what customers say when they
 * want a person, report a malfunction, talk about money, or are done.
 */
export const HUMAN_REQUEST =
  /\b(talk|speak|chat)\s+(to|with)\s+(a\s+|an\s+)?(some\s*one|somebody|real|human|person|agent|people|staff|support)|\b(real|live|actual)\s+(person|human|agent)|\b(human|person|agent|representative|operator|someone)\s+please\b|\b(want|need|get)\s+(a|an)\s+(human|person|agent|representative)\b|\bescalate\b/i;

export const BILLING =
  /\b(refund|refunds|refunded|charged\s+twice|double\s+charged|overcharged|chargeback|charge\s+back|billing|invoice|invoiced|money\s+back|cancel\s+(my\s+)?(subscription|plan)|was\s+charged|unauthori[sz]ed\s+charge)\b/i;

export const MALFUNCTION =
  /\b(crash(es|ed|ing)?|freez(es|ing)|froze|frozen|hangs?|stuck|broken|bug|buggy|glitch|error|errors|fail(s|ed|ing|ure)?|not\s+working|doesn'?t\s+work|don'?t\s+work|does\s+not\s+work|won'?t\s+(load|open|work|start|save|send)|can'?t\s+(load|open|save|log\s*in|login|sign\s*in|check\s*out|pay)|cannot\s+(load|open|save|log\s*in|login|sign\s*in|pay)|blank\s+(screen|page)|white\s+screen|(keeps|kept)\s+(closing|crashing|failing|spinning|loading)|closes\s+(the\s+app|itself|by\s+itself)|dies|died|timed\s+out|nothing\s+happens|disappear(s|ed)?|never\s+(arrives?|arrived|came|loads?))\b/i;

export const THANKS_DONE =
  /^\s*(thanks?|thank\s+you|thx|ty|cheers|perfect|great|awesome|that\s+(worked|works|helped|did\s+it|fixed\s+it)|it\s+works(\s+now)?|(problem\s+)?solved|all\s+good|got\s+it|never\s*mind|nvm|resolved|fixed)\b[\s\S]{0,60}$/i;

export const ENVIRONMENT =
  /\b(iphone|ipad|ios|android|pixel|samsung|galaxy|windows|mac\s*os|macos|linux|chrome|safari|firefox|edge|browser|version|v?\d+\.\d+(\.\d+)?|app\s+store|play\s+store|desktop|laptop|tablet|phone)\b/i;

export const ANGRY =
  /(!{3,}|\b(ridiculous|unacceptable|furious|worst|terrible|useless|garbage|scam|wtf|angry|fed\s+up|pathetic)\b)/i;
export const NEGATIVE =
  /\b(annoying|frustrat\w*|disappoint\w*|upset|unhappy|again|still|sad|bad|awful|hate|crash\w*|broken)\b/i;
export const POSITIVE =
  /\b(thanks?|thank\s+you|great|love|awesome|perfect|helpful|amazing|nice)\b/i;

export const CRITICAL =
  /\b(data\s+loss|lost\s+(all\s+)?(my\s+)?(data|orders)|security|hacked|breach|everyone|all\s+(customers|users|orders)|site\s+(is\s+)?down|store\s+(is\s+)?down|outage|can'?t\s+(take|accept)\s+(payments|orders))\b/i;
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
  ],
  bug: [
    'the app crashes when I open it',
    'I get an error message when I try to save',
    'the page is broken and nothing loads',
    'it stopped working after the update',
  ],
  billing: [
    'I was charged twice and want a refund',
    'please refund my payment',
    'my invoice amount is wrong',
    'cancel my subscription and give my money back',
  ],
  thanks: [
    'thanks, that solved it',
    'great, it works now',
    'thank you for your help',
    'perfect, all sorted',
  ],
};
