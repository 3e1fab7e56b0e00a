/**
 * The rules half of the offline classifier: how customers say they want a person, that
 * something is broken, that they dispute a charge, or that they are done. Every pattern is
 * about support conversations in general, not about any one product: a product's own words
 * come from its docs and glossary, never from here.
 */

const PERSON = String.raw`(?:some\s*one|somebody|any\s*one|anybody|whoever\s+is\s+in\s+charge|an?\s+(?:real\s+|live\s+|actual\s+)?(?:human(?:\s+being)?|person|agent|rep(?:resentative)?|operator|manager|supervisor)|(?:your|the)\s+(?:supervisor|manager|boss|owner)|(?:real|live|actual)\s+(?:human|person|people|agent)|(?:a\s+)?human(?:\s+being)?|(?:an?\s+)?(?:agent|operator|representative|rep|supervisor|manager|technician|engineer|specialist|expert)|(?:your|the|a)\s+(?:support\s+|customer\s+service\s+|service\s+|help\s*desk\s+)?(?:team|staff|support|people|humans|agents|department)|customer\s+(?:service|support|care)|support(?:\s+staff)?|people)`;

export const HUMAN_REQUEST = new RegExp(
  [
    // "talk to a person", "speak with your team", "chat to somebody directly"
    String.raw`\b(?:talk|speak|chat|get\s+in\s+touch|be\s+in\s+touch|go\s+through\s+(?:this|it)|deal)\s+(?:to|with)\s+${PERSON}`,
    // "put me through to someone", "connect me with an agent", "transfer me"
    String.raw`\b(?:put|patch)\s+me\s+through\b|\b(?:connect|transfer|forward|pass)\s+me\b|\bhand\s+(?:me|this)\s+(?:over|off)\b`,
    // "can a real person look at this", "could a member of staff contact me"
    String.raw`\b(?:can|could|would|will|may)\s+(?:i\s+(?:get|have|reach)\s+)?(?:${PERSON}|a\s+member\s+of\s+(?:staff|your\s+team|the\s+team))\s+(?:(?:from|at|on|in)\s+(?:\S+\s+){0,2}?\S+\s+)?(?:please\s+)?(?:look|check|help|contact|call|email|ring|reach|get\s+(?:back|in\s+touch)|take\s+a\s+look|review|handle|see|sort)`,
    // "I'd like to speak", "I want a human", "need a human", "get me someone", "can i get an actual person"
    String.raw`\b(?:i'?d\s+like|i\s+would\s+like|i\s+want|(?:i\s+)?need|let\s+me|get\s+me|give\s+me|i'?m\s+asking\s+for|requesting|i'?d\s+rather|can\s+i\s+(?:get|have)|could\s+i\s+(?:get|have))\s+(?:(?:help\s+from|to\s+(?:talk|speak|chat)\s+(?:to|with)|to\s+go\s+through\s+this\s+with|go\s+through\s+this\s+with)\s+)?${PERSON}`,
    // "is there an actual human", "is there someone on your side", "anyone there?"
    String.raw`\bis\s+there\s+(?:an?\s+)?(?:actual\s+|real\s+|live\s+)?(?:human|person|someone|somebody|anyone|agent|staff)\b|\b(?:any|some)\s*(?:one|body)\s+(?:there|around|real|on\s+your\s+(?:side|end|team))\b|\b(?:some|any)\s*(?:one|body)\s+(?:from|at|on|in)\s+(?:your|the)\s+(?:team|support|staff|side|company|office)\b|\bone\s+of\s+your\s+(?:staff|team|people|agents|colleagues)\b`,
    // "is anybody actually reading this", "am i talking to a wall", or just "operator"
    String.raw`\b(?:is|are)\s+(?:any|some)\s*(?:one|body)\s+(?:actually\s+|really\s+|even\s+)?(?:reading|there|listening|here|awake|working)\b|\btalking\s+to\s+a\s+(?:wall|bot|robot|machine)\b|^\W*(?:operator|agent|human|person|representative|rep|real\s+person|customer\s+service|live\s+chat)\W*$`,
    // "human please", "not a bot", "you're a bot", "not an faq"
    String.raw`\b(?:human|person|agent|someone|somebody|representative|operator)[,!.\s]+please\b`,
    String.raw`\b(?:not|no\s+more|stop\s+(?:the|this))\s+(?:a\s+|an\s+)?(?:bot|robot|machine|ai|automated|faq)\b|\b(?:am\s+i\s+(?:talking|chatting)\s+to|you'?re|you\s+are|is\s+this)\s+a\s+(?:bot|robot|machine)\b|\bis\s+(?:any|some)\s*(?:one|body)\s+(?:there|around|real)\b`,
    // "escalate", "call me back", "a call back", "contact me", "get in touch with me", "phone number"
    String.raw`\bescalat(?:e|ion)\b|\bcall\s*-?\s*back\b|\bcall\s+me\b|\b(?:contact|ring|email|phone)\s+me\b|\bget\s+in\s+touch\s+with\s+me\b|\bphone\s+number\b`,
  ].join('|'),
  'i',
);

// Money taken that the customer did not expect, and what they want done about it.
const MONEY = String.raw`(?:charg(?:e|ed|es|ing)|bill(?:ed|ing)?|invoic(?:e|ed)|debit(?:ed)?|paid|pay(?:ing|ment)|took\s+(?:the\s+)?money|taken\s+from\s+my|subscription\s+fee|fee|price|renewal|money)`;
export const BILLING_DISPUTE = new RegExp(
  [
    String.raw`\b(?:refund(?:ed|s)?|money\s+back|reimburs\w+|chargeback|charge\s+back|dispute\s+(?:the|this|a|it)|disputing|credit\s+(?:it\s+)?back)\b`,
    String.raw`\b(?:charged|billed|debited|invoiced)\s+(?:me\s+)?(?:twice|double|two\s+times|again|extra|too\s+much|more\s+than|the\s+wrong|for\s+(?:something|two|\d+|a\s+\w+\s+i)|even\s+though|after|without|in\s+\w+\s+and)\b`,
    String.raw`\b(?:double|duplicate|unauthori[sz]ed|unexpected|unknown|extra|wrong|incorrect|mystery|surprise)\s+(?:charge|payment|bill|billing|invoice|transaction|fee)s?\b|\bovercharg\w*|\bdouble\s+charg\w*`,
    String.raw`\bwhy\s+(?:was|were|am|did|have|has|is)\s+(?:i|me|you|my\s+card|my\s+account|it)\s+(?:being\s+|been\s+|still\s+)?(?:${MONEY})\b`,
    String.raw`\b(?:cancel(?:l?ed)?|unsubscribed|downgraded|deleted|closed\s+my\s+account|sold\s+(?:the|my))\b.{0,80}\b(?:still|again|anyway|but)\b.{0,40}\b(?:${MONEY}|tak(?:e|ing)|took)`,
    String.raw`\b${MONEY}\b.{0,40}\bafter\s+(?:i\s+)?(?:cancel\w*|unsubscrib\w*|clos\w+|delet\w+)`,
    String.raw`\b(?:want|need|give\s+me|i'?d\s+like)\s+(?:my\s+|the\s+|it\s+|that\s+|the\s+last\s+\w+\s+\w+\s+)?(?:money|payment|charge|it|difference)?\s*(?:back|returned|reversed|refunded)\b|\bgive\s+(?:me\s+)?back\s+the\b`,
    String.raw`\b(?:want|need)\s+(?:it|that|this|the\s+charge|the\s+payment)\s+(?:reversed|refunded|returned|cancelled)\b|\bisn'?t\s+reversed\b`,
    String.raw`\b(?:didn'?t|did\s+not|never)\s+(?:authori[sz]e|agree\s+to|sign\s+up\s+for|order|buy|ask\s+for|click)\b.{0,60}\b(?:${MONEY}|upgrad\w+)|\b(?:${MONEY})\b.{0,40}\b(?:by\s+mistake|(?:don'?t|do\s+not)\s+recogni[sz]e|without\s+(?:my\s+)?(?:permission|consent))`,
    String.raw`\b(?:charge|payment|bill|invoice|receipt|renewal|subscription)\b.{0,60}\b(?:(?:that'?s|is|was)\s+wrong|don'?t\s+recogni[sz]e|do\s+not\s+recogni[sz]e|but\s+(?:i'?m|i\s+am|i\s+only|the\s+price))`,
    String.raw`\b(?:still|you'?re|you\s+are)\s+(?:taking|charging|billing)\b|\byou\s+(?:took|charged|billed)\s+(?:a\s+|me\s+|my\s+)?(?:payment|money|\$|€|£|\d)`,
    String.raw`\bcharge\b.{0,40}\bon\s+my\s+(?:card|account|statement|bank)\b.{0,60}\b(?:don'?t|dont|do\s+not|didn'?t|never|anymore|not\s+mine|no\s+longer|what\s+is\s+this)`,
    String.raw`\b(?:supposed|meant)\s+to\s+be\s+free\b|\bfree\s+(?:trial|plan|month)\b.{0,60}\b(?:charged|billed|paid|took)\b|\bwithout\s+(?:asking|my\s+(?:permission|consent|knowledge|approval))\b`,
    String.raw`\b(?:two|three|four|2|3|4|double|duplicate|multiple)\s+(?:charges|payments|transactions|debits)\b|\b(?:charge|payment)\s+(?:undone|reversed|refunded)\b`,
    String.raw`\bbilled\s+in\s+\w+\s+and\b|\b(?:same|one)\s+month\b.{0,20}\btwice\b`,
  ].join('|'),
  'i',
);

/** A question about how to do something ("how do I…", "where can I…", "is it possible…"). */
export const HOW_TO =
  /^\s*(?:(?:hi|hello|hey)[,!.\s]+)?(?:how\s+(?:do|can|could|should|would|to|much|many|long|often|am|are)\b|(?:can|could|do|does|will|would|should)\s+(?:we|my|our|you|customers?|users?|staff|shoppers|people|it|the|a|an|they)\b|what'?s\s+the\b|whats\s+the\b|what\s+(?:humidity|temperature|\w+)\s+should\b|how\s+(?:does|is)\s+\w+\s+(?:work|set|done)|where\s+(?:do|can|is|are|should)\b|what\s+(?:is|are|does|do)\b|can\s+i\b|could\s+i\b|is\s+(?:it|there)\s+(?:possible|a\s+way)|is\s+there\s+(?:an?|any)\b|are\s+there\b|do\s+you\s+(?:support|have|offer)|which\b|when\s+(?:do|does|will|is)\b|what'?s\s+the\s+(?:best|right)\s+way)/i;

// The ways customers say a product misbehaves, in any product. Each group is one kind of
// evidence; a message with any of them describes a malfunction.
const SYMPTOM = String.raw`crash(?:es|ed|ing)?|freez(?:es|ing)|froze|frozen|hangs?|hung|stuck|broken|breaks|broke|bug(?:gy|s)?|glitch\w*|errors?|fail(?:s|ed|ing|ure)?|blank|empty|white\s+(?:page|screen)|spinn(?:ing|er)|lag(?:s|gy|ging)?|laggy|unresponsive|corrupt(?:ed)?|offline|unreachable|disconnect(?:s|ed|ing)?|loops?|looping|reload(?:s|ing)?|timed?\s*out|time\s*out|dies|died|dead|drain(?:s|ed|ing)?|vanish(?:es|ed)?|disappear(?:s|ed)?|missing|duplicated?|skip(?:s|ped)|ignor(?:es|ed|ing)|revert(?:s|ed|ing)?|resets?|resetting|jumps?\s+around|invalid|expired|invisible|nothing\s+(?:changes|happens|uploads|loads|works|shows|appears|syncs|saves|updates|prints|plays)|never\s+(?:shows?|continues?|loads?|finishes|completes|arrives?|appears?|updates?|syncs?|ends|stops|gets|goes|comes)|stops?\s+(?:at|again|after|when|working|responding|halfway)|(?:black|grey|gray|white|blank)\s+(?:screen|page|box|square|smudge|image)|\d+\s*%\s*(?:cpu|memory|ram|battery|processor)|still\s+(?:can'?t|cant|won'?t|doesn'?t|shows?|says?|\w+ed\b)|stopped\s+(?:working|\w+ing)|reject(?:s|ed)|twice|two\s+times|drops?\s+(?:off|out|about\s+\d+|\d+)|(?:eat(?:s|ing)?|burn(?:s|ing)?\s+through)\s+(?:the\s+)?batter(?:y|ies)|nothing\s+on\s+it|none\s+of\s+.{0,40}?\s+(?:will|would|can|do|does)\s+\w+`;
// A negated action the product should perform: "won't stay on", "doesn't save", "isn't accepted".
const NEGATED = String.raw`(?:won'?t|wont|doesn'?t|doesnt|does\s+not|don'?t|dont|do\s+not|didn'?t|didnt|isn'?t|isnt|is\s+not|aren'?t|arent|wasn'?t|can'?t|cant|cannot|couldn'?t|never|no\s+longer|not)\s+(?:\w+\s+)?(?:work|load|open|show|save|send|sync|update|arrive|respond|responding|appear|stay|stick|accept|accepted|valid|print|upload|download|connect|finish|complete|go\s+through|come\s+(?:on|back|through)|start|let\s+me|get\s+(?:in|into|past)|turn\s+on|charge|last|match|change|apply|take\s+effect|do\s+anything|have\s+any\s+effect|log\s*in|login|sign\s*in|check\s*out|pay|access|use|see|find|open|play|install|restore|import|export|join|share|verify|reset)`;
// What happened instead of what should have: "instead of 8am", "even though I changed it".
const CONTRARY = String.raw`instead\s+of|rather\s+than|even\s+(?:though|after|when|if)|despite|(?:back|goes\s+back|went\s+back|flips?\s+back|snaps?\s+back|comes?\s+back)\s+to\s+(?:the\s+)?(?:old|default|light|normal|previous|original|\w+)|has\s+no\s+effect|does\s+nothing|nothing\s+happens|no\s+effect|keeps?\s+(?:\w+ing)|kept\s+\w+ing|all\s+the\s+time|(?:wrong|incorrect|inaccurate|way\s+too\s+(?:high|low|long|much)|off\s+by|shifted|too\s+(?:early|late|high|low|fast|slow))|(?:an?|one|two|\d+)\s+(?:hours?|days?|minutes?)\s+(?:early|late|off)|hours?\s+late|delayed|kicks?\s+me\s+(?:out|back)|closes\s+(?:it|the\s+app|itself|on\s+me)|force\s+clos\w+|quits|shuts\s+down|supposed\s+to|than\s+it\s+(?:really|actually)\s+is|(?:reads|shows|says|displays)\s+.{0,30}?(?:higher|lower|warmer|colder|more|less)\s+than|but\s+(?:i|we)\s+(?:shipped|set|chose|picked|selected|changed|use|used|did|saved|entered)`;
export const MALFUNCTION = new RegExp(`\\b(?:${SYMPTOM}|${NEGATED}|${CONTRARY})\\b`, 'i');
/** The strong half of {@link MALFUNCTION}: a symptom or a failed action, not just a surprise. */
export const STRONG_MALFUNCTION = new RegExp(`\\b(?:${SYMPTOM}|${NEGATED})\\b`, 'i');

/**
 * A question asked anywhere in the message: a clause that opens with a question word
 * ("…, how do I allow it again", "… nothing. what address does it come from") or a
 * closing question mark. "Why" is left out: "why does it crash" is a complaint.
 */
export const ASKS =
  /(?:^|[.!?;,:]\s*|\b(?:and|but|so|also)\s+)(?:how|what|whats|what's|where|which|can|could|do|does|is|are|am|will|would|should)\s+(?:i|we|you|it|there|they|my|our|the|a|an|this|that|to|[a-z]+(?:\s+[a-z]+)?\s+(?:i|we|it|you|do|does|is|are|can))\b|\?\s*$/i;

/** A question that is really a report: "is anyone else seeing this?", "is that normal??". */
export const REPORT_QUESTION =
  /\b(?:any\s*one|any\s*body)\s+else\b|\bis\s+(?:this|that|it)\s+(?:normal|a\s+bug|a\s+known\s+(?:issue|problem|bug)|expected|intended)\b|\bwhy\s+(?:does|is|did|do|won'?t|can'?t|doesn'?t|isn'?t|would|has|have)\b|\bwhat(?:'?s|\s+is)\s+(?:even\s+)?(?:the\s+point|going\s+on|wrong|happening)\b/i;

/** A wish or a request for something the product does not do: a feature request, not a bug. */
export const WISH =
  /^\s*(?:(?:hi|hello|hey)[,!.\s]+)?(?:i\s+(?:want|would\s+like|'d\s+like|wish)\s+(?:to|it|there|you)|we\s+(?:want|would\s+like|'d\s+like)\s+to|it\s+would\s+be\s+(?:nice|great|good|helpful)|please\s+add|can\s+you\s+(?:add|make)|feature\s+request|is\s+there\s+any\s+plan)/i;

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
