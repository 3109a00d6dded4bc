/**
 * The municipality's self-assessment of its work with school absence, as Børns Vilkår's tool
 * "Find fokus for kommunens arbejde med skolefravær" (seed 002) sets it out: six themes, each with
 * four or five principles, rated 1–5 by each participant, then a group discussion and three
 * priorities with next steps. The principles are quoted from the tool, in Danish, because that is
 * what the participants read and rate; the ids are ours and never change once rounds use them.
 */

export interface Principle {
  /** `<themeId>.<n>`: stable, so ratings stored under it keep their meaning. */
  readonly id: string;
  readonly text: string;
}

export interface Theme {
  readonly id: string;
  readonly title: string;
  readonly principles: readonly Principle[];
}

/** Which edition of the principles a round was rated on (kept with each round). */
export const FRAMEWORK_ID = 'boerns-vilkaar-kommune-skolefravaer';

export const FRAMEWORK_TITLE = 'Find fokus for kommunens arbejde med skolefravær';
export const FRAMEWORK_SOURCE = 'Børns Vilkår: procesværktøj til temperaturmåling af kommunens arbejde med skolefravær';

const theme = (id: string, title: string, texts: readonly string[]): Theme => ({
  id,
  title,
  principles: texts.map((text, index) => ({ id: `${id}.${index + 1}`, text })),
});

export const THEMES: readonly Theme[] = [
  theme('forstaaelse', 'Forståelse af fravær', [
    'Vi ser og arbejder med fravær som symptom på mistrivsel, der ofte har rod i flere forskellige årsager.',
    'Vi undersøger fraværet fra barnets perspektiv og ser fravær som børns løsning på noget, der er svært.',
    'Vi har blik for både det enkelte barn og de fællesskaber, barnet er en del af i og udenfor skolen.',
    'Vi ser på det samlede fravær på tværs af lovligt og ulovligt fravær, når vi vurderer bekymringen for et barns fravær.',
  ]),
  theme('systematik', 'Systematisk tilgang', [
    'Vi har en systematik omkring arbejdet med skolefravær, og en tydelig proces, så alle ved hvem, der gør hvad.',
    'Vi giver skolerne sparring, når der er bekymring for et barns udvikling af fraværsproblematikker.',
    'Vi har processer, der sikrer hurtig handling i sager med skolefravær, og som sikrer, at indsatserne er tilpasset det enkelte barns behov.',
    'Vi er systematisk opmærksomme på risiko for udvikling af skolefravær ved overgange og skift i børns liv.',
    'Vi er systematisk opmærksomme på skoletrivsel og udvikling af skolefravær hos alle de børn og unge, kommunen er i kontakt med.',
  ]),
  theme('tovholder', 'Tovholder', [
    'Det er altid tydeligt, hvem der er tovholder i en sag med skolefravær, så der sikres et bindeled mellem skole, hjem og øvrige aktører.',
    'Tovholderen/fraværsteamet arbejder ud fra beskrevne metoder og tilgange, der bygger på viden om skolefravær, og får sparring på arbejdet fra relevante ressourcepersoner.',
    'Tovholderen/fraværsteamets hovedfokus er barnets trivsel og at løse det, der er svært for barnet.',
    'Tovholderen/fraværsteamet har et klart mandat til at løse opgaven.',
  ]),
  theme('boerneinddragelse', 'Børneinddragelse', [
    'Vi ser barnets viden som værdifuld, og det danner omdrejningspunktet for at forstå de udfordringer, barnet oplever, og for at udvikle relevante løsninger.',
    'Vi sikrer, at børn ved, hvad der skal foregå, at de oplever at blive hørt, og at der følges op med barnet.',
    'Børneinddragelse er en central del af kommunens procedurer i forbindelse med forebyggelse og håndtering af skolefravær.',
    'Der er viden om og kompetencer til at praktisere børneinddragelse i kommunen.',
  ]),
  theme('foraeldresamarbejde', 'Samarbejde med forældre', [
    'Vores tilgang til samarbejdet med forældre i sager om skolefravær er professionel og fagligt funderet.',
    'Vi har faste procedurer, der sikrer tidlig hjælp og rådgivning til forældre med børn med begyndende skolefravær.',
    'Vores møder med børn og forældre er baseret på respekt, og det er tydeligt, hvad der skal foregå på mødet, og hvordan der følges op.',
    'Vi inddrager forældre og anser deres viden som værdifuld viden.',
  ]),
  theme('vedligehold', 'Vedligehold og kvalitetssikring', [
    'Vi evaluerer og følger op på den tværfaglige håndtering af fraværsindsatser.',
    'Vi har fokus på data og følger systematisk op på mønstre i kommunens data om børn og unges trivsel med henblik på proaktive tiltag.',
    'Vi har overblik over forebyggende og håndterende indsatser i kommunen, og det vurderes løbende, hvor der er behov for opmærksomhed, udvikling og kvalitetssikring.',
    'Vi vejleder skoler i at registrere alt fravær korrekt, både sygdom, ”lovligt” og ”ulovligt” fravær, og vi kigger på det samlede fravær i vurderingen af, om fravær er bekymrende.',
  ]),
];

export const THEME_IDS = THEMES.map((t) => t.id) as [string, ...string[]];
export const PRINCIPLES: readonly (Principle & { themeId: string })[] = THEMES.flatMap((t) => t.principles.map((p) => ({ ...p, themeId: t.id })));
export const PRINCIPLE_IDS = PRINCIPLES.map((p) => p.id) as [string, ...string[]];

export function themeOf(principleId: string): Theme | undefined {
  return THEMES.find((t) => t.principles.some((p) => p.id === principleId));
}

/** The scale each principle is rated on: how far the participant finds the municipality lives up to it. */
export const RATING_SCALE = {
  min: 1,
  max: 5,
  question: 'I hvor høj grad oplever du, at kommunen udlever og lykkes med princippet?',
  labels: { 1: 'I meget lav grad', 2: 'I lav grad', 3: 'I nogen grad', 4: 'I høj grad', 5: 'I meget høj grad' },
} as const;

/** The three steps of the process (about two hours), as the tool describes them. */
export const STEPS = [
  {
    title: 'Trin 1 – Individuel vurdering',
    text: 'Hver deltager giver en individuel vurdering fra 1-5 på en række principper fordelt på 6 tematikker, ud fra i hvor høj grad den enkelte oplever, at kommunen udlever og lykkes med princippet.',
  },
  { title: 'Trin 2 – Fælles drøftelse', text: 'De individuelle vurderinger deles i gruppen. Forskelle og ligheder begrundes, udfoldes og drøftes.' },
  {
    title: 'Trin 3 – Refleksioner og beslutninger om næste skridt',
    text: 'Gennem refleksionsspørgsmål beslutter gruppen fokus for de næste skridt i arbejdet med skolefravær, og aftaler, hvem der gør hvad.',
  },
] as const;

/** The note each participant writes per theme in step 1. */
export const THEME_NOTE_PROMPT = 'Hvor er I godt på vej, og hvad trænger til opmærksomhed?';
export const THEME_OVERALL_PROMPT = 'Skriv et samlet tal for temaet';

/** Step 3's "Hvad er der brug for?": where the group puts in its effort within a priority. */
export const NEEDS = {
  competences: 'Kompetencer hos medarbejdere og ledere',
  knowledge: 'Viden og meningsskabelse',
  procedures: 'Fælles procedurer og aftaler',
  maintenance: 'Vedligehold og kvalitetssikring',
  other: 'Andet',
} as const;
export type Need = keyof typeof NEEDS;
export const NEED_IDS = Object.keys(NEEDS) as [Need, ...Need[]];

/** At most three priorities, as the tool asks. */
export const MAX_PRIORITIES = 3;
