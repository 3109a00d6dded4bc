/**
 * The words people read on the pages: the domain's names in Danish, and the API's refusals put
 * into Danish next to the field they concern. Code and the API stay English; this is the one
 * place where the two meet.
 */
import { consentParty, type CaseAction, type CaseEventType, type MeasureTrack, type Phase, type StepStatus } from '../domain/schemas';

export const PHASE_LABELS: Record<Phase, string> = {
  mapping: 'Kortlægning',
  action_plan: 'Handleplan',
  follow_up: 'Opfølgning',
  closed: 'Afsluttet',
};

export const PHASE_HINTS: Record<Phase, string> = {
  mapping: 'uge 1–3',
  action_plan: 'uge 4',
  follow_up: 'hver 8.–12. uge',
  closed: 'kriterier og brobygning',
};

export const STEP_STATUS_LABELS: Record<StepStatus, string> = {
  open: 'Åben',
  due_soon: 'Frist snart',
  overdue: 'Frist overskredet',
  done: 'Udført',
  cancelled: 'Bortfaldet',
};

export const TRACK_LABELS: Record<'A' | 'B' | 'C', string> = {
  A: 'Spor A: klassefællesskabet',
  B: 'Spor B: elevens inddragelse',
  C: 'Spor C: forældre og netværk',
};

export const MEASURE_TRACK_LABELS: Record<MeasureTrack, string> = {
  pupil_parents: '1. Til eleven og forældrene',
  community: '2. Til fællesskabet',
  teaching: '3. Undervisning under fraværet',
};

export const CONCERN_LABELS = {
  parents: 'Forældrene',
  staff: 'Skolens personale',
  pupil: 'Eleven selv',
  absence_data: 'Fraværsdata',
} as const;

export const ACTION_LABELS: Record<CaseAction, string> = {
  'step.complete': 'Markér kortlægningsspor som udført',
  'assessment.decide': 'Træf vurderingen efter kortlægningen',
  'plan.submit': 'Skriv handleplanen',
  'followUp.record': 'Registrér en opfølgning',
  escalate: 'Eskalér forløbet',
  close: 'Afslut forløbet',
  'consent.record': 'Registrér forældrenes samtykke',
  'consent.withdraw': 'Registrér at et samtykke er trukket tilbage',
  'section49a.record': 'Registrér undtagelsen efter § 49 a',
  'case.correct': 'Ret oplysninger',
  'tovholder.reassign': 'Giv forløbet en ny tovholder',
  'case.withdraw': 'Træk forløbet tilbage',
};

export const EVENT_LABELS: Record<CaseEventType, string> = {
  opened: 'Forløbet blev oprettet',
  step_done: 'Trin udført',
  phase_entered: 'Ny fase',
  step_due_soon: 'Fristen nærmer sig',
  step_overdue: 'Fristen er overskredet',
  step_overdue_leader: 'Fristen er længe overskredet – skolelederen er orienteret',
  assessment: 'Vurdering efter kortlægningen',
  plan_revision: 'Handleplan vedtaget',
  follow_up: 'Opfølgningsmøde holdt',
  escalation: 'Forløbet blev eskaleret',
  closed: 'Forløbet blev afsluttet',
  deadlines_recomputed: 'Fristerne blev beregnet igen efter skolens kalender',
  tovholder_reassigned: 'Forløbet fik en ny tovholder',
  consent_recorded: 'Forældrenes samtykke blev registreret',
  consent_withdrawn: 'Et samtykke blev trukket tilbage',
  section49a_recorded: 'Undtagelsen efter § 49 a blev registreret',
  corrected: 'Oplysninger rettet',
  withdrawn: 'Forløbet blev trukket tilbage (oprettet ved en fejl)',
};

export const EXTERNAL_RESOURCE_LABELS = {
  ppr: 'PPR',
  sundhedsplejerske: 'Sundhedsplejerske',
  boerne_og_familieafdelingen: 'Børne- og familieafdelingen',
} as const;

/** Who the parents may consent to share with; "other" is named on the consent itself. */
export const CONSENT_PARTY_LABELS = {
  ppr: 'PPR',
  sundhedsplejerske: 'Sundhedsplejen',
  boerne_og_familieafdelingen: 'Børn og Familie',
  bup: 'Børne- og ungdomspsykiatrien (BUP)',
  other: 'Anden part',
} as const;

/** What a consent covers: the parts of the handover package. */
export const CONSENT_SCOPE_LABELS = {
  concern: 'Bekymringen og baggrunden for eskaleringen',
  mapping: 'Kortlægningens fund i de tre spor',
  pupil_voice: 'Elevens egne ord fra elevsamtalen',
  plan: 'Handleplaner, indsatser og opfølgninger',
} as const;

/** On what basis the package goes to its receiver. */
export const SHARING_BASIS_LABELS = {
  internal: 'Skolens eget ressourceteam',
  consent: 'Forældrenes samtykke',
  section49a: 'Undtagelsen efter § 49 a',
  without_consent: 'Intet samtykke: kun anmodningen sendes',
} as const;

export const REVIEW_EFFECT_LABELS = { none: 'Ingen effekt', some: 'Nogen effekt', clear: 'Tydelig effekt' } as const;
export const REVIEW_ACTION_LABELS = { keep: 'Fortsæt', adjust: 'Justér', replace: 'Erstat', stop: 'Stop' } as const;
export const FOLLOW_UP_OUTCOME_LABELS = {
  continue: 'Fortsæt med planen',
  revise_plan: 'Revidér handleplanen',
  escalate: 'Eskalér til ressourceteamet',
  propose_closure: 'Foreslå afslutning',
} as const;
export const BRIDGING_LABELS = {
  none: 'Ingen brobygning',
  civil_society: 'Civilsamfundet (fx forening eller klub)',
  network: 'Elevens netværk',
  other: 'Andet',
} as const;
export const ASSESSMENT_LABELS = { action_plan: 'Fraværet kalder på en handleplan', close: 'Forløbet kan afsluttes' } as const;

export const CRITERIA_LABELS = {
  regularAttendance: 'Eleven kommer stabilt i skole',
  wellbeingImproving: 'Elevens trivsel er i bedring',
  communityChallengesReduced: 'Udfordringerne i fællesskabet er mindsket',
  pupilMotivated: 'Eleven er motiveret',
  partiesAgree: 'Elev, forældre og skole er enige om at afslutte',
} as const;

export const ROLE_LABELS = {
  tovholder: 'Tovholder',
  leader: 'Skoleleder',
  resource_team: 'Ressourceteam',
  municipality: 'Kommunen (forvaltningen)',
  admin: 'Administrator',
} as const;

const MONTHS = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'];

/** `2026-11-23` → `23. november 2026`. */
export function danishDate(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '–';
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!match) return iso;
  const [, year, month, day] = match;
  return `${Number(day)}. ${MONTHS[Number(month) - 1] ?? month} ${year}`;
}

/** School days left (positive) or late (negative), as a sentence. */
export function schoolDaysText(daysLeft: number): string {
  if (daysLeft === 0) return 'frist i dag';
  const n = Math.abs(daysLeft);
  const unit = n === 1 ? 'skoledag' : 'skoledage';
  return daysLeft > 0 ? `${n} ${unit} tilbage` : `${n} ${unit} for sent`;
}

const TRACK_WORDS: Record<string, string> = {
  pupil_parents: 'til eleven og forældrene',
  community: 'til fællesskabet',
  teaching: 'undervisning under fraværet',
};

/**
 * The API's messages (zod's and the machine's rules) in Danish. Unknown messages get a plain
 * Danish sentence rather than English text.
 */
const MESSAGE_RULES: readonly [RegExp, (match: RegExpExecArray) => string][] = [
  [/^Invalid input: expected \w+, received undefined$/, () => 'Skal udfyldes'],
  [/^Too small: expected string to have >=1 characters?$/, () => 'Skal udfyldes'],
  [/^Too small: expected array to have >=1 items?$/, () => 'Vælg mindst én'],
  [/^Too big: expected string to have <=(\d+) characters?$/, (m) => `Må højst være ${m[1] ?? ''} tegn`],
  [/^Too (big|small): expected number to be [<>]=(\d+)$/, () => 'Vælg en af mulighederne'],
  [/^Invalid (option|input)/, () => 'Vælg en af mulighederne'],
  [/must be a calendar date/, () => 'Skal være en dato (dd-mm-åååå)'],
  [/looks like a CPR number/, () => 'Ligner et CPR-nummer. Brug skolens pseudonyme elevreference – aldrig CPR-nummer eller navn'],
  [/may contain only letters, digits, "\.", "_" and "-"/, () => 'Må kun indeholde bogstaver, tal, punktum, bindestreg og understregning'],
  [/may contain only letters, digits/, () => 'Må kun indeholde bogstaver, tal, bindestreg og understregning'],
  [/^the (opening|completion) date cannot be later than today$/, () => 'Datoen kan ikke ligge efter i dag'],
  [/cannot be later than today$/, () => 'Datoen kan ikke ligge efter i dag'],
  [/cannot be before the case was opened/, () => 'Datoen kan ikke ligge før forløbet blev oprettet'],
  [/a measure cannot start before the case was opened/, () => 'En indsats kan ikke starte før forløbet blev oprettet'],
  [
    /a plan needs at least one measure in each of the three tracks; missing: (.*)$/,
    (m) => `Handleplanen skal have mindst én indsats i hvert af de tre spor. Mangler: ${translateList(m[1] ?? '')}`,
  ],
  [/the assessment cannot be dated before the mapping was done/, () => 'Vurderingen kan ikke dateres før kortlægningen var færdig'],
  [/a plan cannot be dated before the assessment or the plan it revises/, () => 'Planen kan ikke dateres før vurderingen eller den plan, den reviderer'],
  [/cannot be dated before/, () => 'Datoen ligger før det, handlingen følger efter'],
  [/the review date cannot be before the start date/, () => 'Evalueringsdatoen kan ikke ligge før startdatoen'],
  [/names no measure of the current plan/, () => 'Indsatsen findes ikke i den gældende handleplan'],
  [/the same measure (appears|is reviewed) twice/, () => 'Den samme indsats står der to gange'],
  [/already at the highest escalation level/, () => 'Forløbet er allerede på det højeste trin i eskaleringstrappen'],
  [/level 3 brings in external resources/, () => 'På trin 3 inddrages eksterne ressourcer: vælg mindst én'],
  [/external resources are brought in at level 3/, () => 'Eksterne ressourcer inddrages først på trin 3'],
  [/external resources are named only when the outcome is to escalate/, () => 'Eksterne ressourcer vælges kun, når udfaldet er eskalering'],
  [/there is no action plan to follow up on/, () => 'Der er ingen handleplan at følge op på'],
  [/before the current plan was adopted/, () => 'Mødet kan ikke ligge før den gældende handleplan blev vedtaget'],
  [/before the previous follow-up/, () => 'Mødet kan ikke ligge før den forrige opfølgning'],
  [/every measure of the current plan needs a review/, () => 'Hver indsats i handleplanen skal evalueres'],
  [
    /the next follow-up must be 8 to 12 weeks after heldOn \(between (\S+) and (\S+)\)/,
    (m) => `Næste opfølgning skal ligge 8–12 uger efter mødet: mellem ${danishDate(m[1])} og ${danishDate(m[2])}`,
  ],
  [/the next follow-up must be 8 to 12 weeks/, () => 'Næste opfølgning skal ligge 8–12 uger efter mødet'],
  [/a case closes only when the pupil attends regularly/, () => 'Et forløb afsluttes først, når eleven kommer stabilt i skole'],
  [/a case closes only when pupil, parents and school agree/, () => 'Et forløb afsluttes først, når elev, forældre og skole er enige'],
  [/closing needs a plan to keep the absence from returning/, () => 'Skriv en plan, der skal forebygge at fraværet vender tilbage'],
  [/say which effort the pupil is bridged to/, () => 'Skriv hvilken indsats eleven brobygges til'],
  [/is not one of your schools/, () => 'Er ikke en af dine skoler'],
  [/a tovholder opens only cases they coordinate themselves/, () => 'En tovholder kan kun oprette forløb, vedkommende selv er tovholder for'],
  [/names the same resource twice/, () => 'Den samme ressource er valgt to gange'],
  // Consent and §49a (issue 16).
  [
    /no consent from the parents on file for ([a-z_, ]+?)(?: \(the consent for ([a-z_, ]+) was withdrawn\))?:/,
    (m) =>
      `Der er ikke registreret samtykke fra forældrene til ${partyList(m[1] ?? '')}${m[2] ? ` (samtykket til ${partyList(m[2])} er trukket tilbage)` : ''}. Registrér samtykket eller undtagelsen efter § 49 a, eller skriv hvorfor forløbet eskaleres uden samtykke`,
  ],
  [/a reason for going without consent is given only when external resources/, () => 'Begrundelsen for at gå uden om samtykke skrives kun, når eksterne ressourcer inddrages'],
  [/name the party when the consent is for "other"/, () => 'Skriv navnet på den anden part'],
  [/a name is given only for a party of kind "other"/, () => 'Navnet skrives kun, når samtykket gælder en anden part'],
  [/names no consent of this case/, () => 'Samtykket findes ikke i forløbet'],
  [/the consent was already withdrawn on (\S+)/, (m) => `Samtykket blev allerede trukket tilbage ${danishDate(m[1])}`],
  [/a consent cannot be withdrawn before it was given/, () => 'Et samtykke kan ikke trækkes tilbage, før det blev givet'],
  [
    /the §49a exception is used at most once per case; it was recorded for this case on (\S+)/,
    (m) => `Undtagelsen efter § 49 a kan kun bruges én gang i et forløb; den blev registreret ${danishDate(m[1])}`,
  ],
  [/names the same (part|party) twice/, () => 'Det samme er valgt to gange'],
  [
    /the follow-up is early: held before (\S+) \(the plan’s first review date\)/,
    (m) => `Opfølgningen er før tid: den ligger til tiden fra handleplanens første evalueringsdato, ${danishDate(m[1])}. Skriv hvorfor`,
  ],
  [
    /the follow-up is early: held before (\S+)/,
    (m) => `Opfølgningen er før tid: den ligger til tiden fra ${danishDate(m[1])}, 8 uger efter den forrige. Skriv hvorfor`,
  ],
  [/the follow-up is not early; leave out earlyReason/, () => 'Opfølgningen er ikke før tid: lad feltet stå tomt'],
  [/the opening date cannot be before (\S+)/, (m) => `Datoen kan ikke ligge før ${danishDate(m[1])}`],
  [/the opening date cannot be after the first action recorded on the case \((\S+)\)/, (m) => `Datoen kan ikke ligge efter det første, der er registreret i forløbet (${danishDate(m[1])})`],
  [/name at least one of openedOn, grade and pupilRef to correct/, () => 'Udfyld mindst ét af felterne dato, klassetrin og elevreference'],
  [/is already the case’s (opening date|grade|pupil reference)/, () => 'Er allerede forløbets værdi'],
  [/is already the case’s tovholder/, () => 'Er allerede forløbets tovholder'],
  // The self-assessment's rules.
  [/must be a whole number from 1 to 5/, () => 'Vælg en vurdering fra 1 til 5'],
  [/is not a principle of the self-assessment/, () => 'Princippet findes ikke i selvevalueringen'],
  [/is not a theme of the self-assessment/, () => 'Temaet findes ikke i selvevalueringen'],
  [/rates the same principle twice/, () => 'Det samme princip er vurderet to gange'],
  [/cannot be before the round was held/, () => 'Datoen kan ikke ligge før mødet'],
  [/at most \d+ priorities/, () => 'Højst tre prioriteter'],
];

function partyList(list: string): string {
  return list
    .split(/,\s*/)
    .map((party) => {
      const known = consentParty.safeParse(party);
      return known.success ? CONSENT_PARTY_LABELS[known.data] : party;
    })
    .join(', ');
}

function translateList(list: string): string {
  return list.replace(/(pupil_parents|community|teaching)(?: \([^)]*\))?/g, (_whole, word: string) => TRACK_WORDS[word] ?? word);
}

export function danishMessage(message: string): string {
  for (const [pattern, say] of MESSAGE_RULES) {
    const match = pattern.exec(message);
    if (match) return say(match);
  }
  return 'Feltet er ikke udfyldt korrekt';
}

/** A refusal with no field, by the API's problem type. */
export function danishProblemTitle(status: number): string {
  if (status === 409) return 'Handlingen er ikke mulig i forløbets nuværende fase';
  if (status === 422) return 'Oplysningerne overholder ikke forløbspakkens regler';
  if (status === 403) return 'Din rolle giver ikke adgang til denne handling';
  if (status === 404) return 'Siden eller forløbet findes ikke';
  return 'Oplysningerne kunne ikke gemmes';
}

/** The phase-level reasons the machine gives with a 409, in Danish. */
export function danishNotNow(detail: string): string {
  if (/the case is closed/.test(detail)) return 'Forløbet er afsluttet.';
  if (/these tracks are not done yet/.test(detail)) return 'Vurderingen følger efter kortlægningen: ikke alle tre spor er udført endnu.';
  if (/already done/.test(detail)) return 'Trinnet er allerede udført.';
  if (/already been superseded/.test(detail)) return 'Brevet er erstattet af et nyt udkast: ret eller godkend det nye.';
  if (/already been approved|already been discarded/.test(detail)) return 'Brevet er allerede godkendt eller kasseret og kan ikke længere rettes.';
  return 'Handlingen er ikke mulig i forløbets nuværende fase.';
}

/** `2026-11` → `november 2026`. */
export function danishMonth(month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return month;
  return `${MONTHS[Number(match[2]) - 1] ?? match[2]} ${match[1]}`;
}

/** A share (0–1) as a Danish percentage with one decimal, e.g. `78,7 %`; a dash for none. */
export function danishPercent(share: number | null | undefined): string {
  if (share === null || share === undefined) return '–';
  return `${(share * 100).toLocaleString('da-DK', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`;
}

/** Days with Danish decimals (`17,5`); a dash for none. */
export function danishNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return value.toLocaleString('da-DK', { maximumFractionDigits: 1 });
}
