/**
 * The Danish texts the generated cases are written with: what tovholdere and school leaders would
 * write in a case package. Roles only, never a person's name; nothing here identifies a pupil.
 */
import type { MeasureTrack } from '../domain/schemas';

export interface MeasureIdea {
  description: string;
  /** Roles that typically own the measure. */
  responsible: readonly string[];
}

export const MEASURE_IDEAS: Readonly<Record<MeasureTrack, readonly MeasureIdea[]>> = {
  // #1 To the pupil and the parents: the problems tied to the absence.
  pupil_parents: [
    { description: 'Fast morgenmodtagelse ved trivselskontakten hver skoledag kl. 8.00', responsible: ['Trivselskontakten', 'Fraværskoordinatoren'] },
    { description: 'Ugentlig samtale med en fast voksen om hvordan skoledagen er gået', responsible: ['Kontaktlæreren', 'Trivselskontakten'] },
    { description: 'Forløb hos AKT-vejlederen med fokus på angst for at komme i skole', responsible: ['AKT-vejlederen'] },
    { description: 'Afklarende samtale med PPR om elevens trivsel og læring (med forældrenes samtykke)', responsible: ['PPR-psykologen', 'Tovholderen'] },
    { description: 'Sundhedsplejersken følger op på søvn, hovedpine og mavepine', responsible: ['Skolens sundhedsplejerske'] },
    { description: 'Kort besked til forældrene hver eftermiddag om fremmøde og små fremskridt', responsible: ['Klasselæreren', 'Tovholderen'] },
    { description: 'Gradvis optrapning af skoledagen efter et skema aftalt med eleven', responsible: ['Tovholderen', 'Klasselæreren'] },
    { description: 'Samtale med forældrene hver 14. dag om morgenrutiner og aftaler', responsible: ['Tovholderen', 'Fraværskoordinatoren'] },
    { description: 'Aftalt pauserum eleven kan bruge, når skoledagen bliver for meget', responsible: ['Ressourcepædagogen'] },
    { description: 'Kontakt til Børn og Unge om støtte til familien (med forældrenes samtykke)', responsible: ['Skolelederen', 'Familierådgiveren i Børn og Unge'] },
    { description: 'Forløb med Trivselskontakten om venskaber og konflikter i frikvartererne', responsible: ['Trivselskontakten'] },
  ],
  // #2 To the community: the class's social context and the return to it.
  community: [
    { description: 'Makkerordning i klassen med to faste kammerater', responsible: ['Klasseteamet', 'Klasselæreren'] },
    { description: 'Ugentlig trivselstime i klassen med fokus på fællesskab og at tage imod hinanden', responsible: ['Klasseteamet'] },
    { description: 'Støtte til at starte i klubben to eftermiddage om ugen', responsible: ['Klubpædagogen', 'Tovholderen'] },
    { description: 'Fast plads og fast gruppe i timerne aftalt i klasseteamet', responsible: ['Klasseteamet', 'Årgangsteamet'] },
    { description: 'Følgeskab fra en voksen til SFO de første uger', responsible: ['SFO-pædagogen'] },
    { description: 'Struktureret frikvarter med aktiviteter ledet af en pædagog', responsible: ['Pædagogen i klassen'] },
    { description: 'Deltagelse i lektiecaféen sammen med en klassekammerat', responsible: ['Årgangsteamet'] },
    { description: 'Introduktion til en fritidsaktivitet i lokalområdet sammen med en voksen', responsible: ['Klubpædagogen', 'Fritidsvejlederen'] },
    { description: 'Klassemøde om hvordan klassen tager imod en kammerat der har været væk', responsible: ['Klasselæreren'] },
    { description: 'Rolle i planlægningen af klassens næste tur eller arrangement', responsible: ['Klasseteamet'] },
  ],
  // #3 Teaching while absent (sygeundervisning): the pupil keeps learning.
  teaching: [
    { description: 'Online undervisning de dage eleven er hjemme', responsible: ['Kontaktlæreren', 'Dansklæreren'] },
    { description: 'Sygeundervisning i hjemmet to lektioner om dagen', responsible: ['Specialcenterets lærer'] },
    { description: 'Supplerende undervisning i dansk og matematik på et mindre hold', responsible: ['Dansklæreren', 'Matematiklæreren'] },
    { description: 'Ugeplan med opgaver sendt hjem og gennemgået med en lærer om fredagen', responsible: ['Kontaktlæreren'] },
    { description: 'Undervisning i læringscentret i dagens første lektioner', responsible: ['Læringsvejlederen'] },
    { description: 'Deltagelse i undervisningen via video fra et stille rum på skolen', responsible: ['Læringsvejlederen', 'Kontaktlæreren'] },
    { description: 'Lektiestøtte to gange om ugen', responsible: ['Matematiklæreren', 'Årgangsteamet'] },
    { description: 'Tilrettelagt skema med færre fag i en overgangsperiode', responsible: ['Skolelederen', 'Kontaktlæreren'] },
    { description: 'Sygeundervisning på skolen med en fast lærer', responsible: ['Specialcenterets lærer'] },
  ],
};

/** What an adjusted measure gets added to its description. */
export const ADJUSTMENTS: readonly string[] = [
  ' (justeret: kortere varighed og tættere opfølgning)',
  ' (justeret: flyttet til eftermiddagen)',
  ' (justeret: ny fast voksen)',
  ' (justeret: udvidet til hele ugen)',
  ' (justeret: i samarbejde med forældrene)',
];

export const CONCERN_NOTES: readonly string[] = [
  'Stigende fravær om mandagen',
  'Mange enkeltdage med sygdom i kvartalet',
  'Eleven giver udtryk for ikke at ville i skole',
  'Fravær efter ferier og fridage',
  'Hyppige sene ankomster og fravær i enkelte lektioner',
  'Ulovligt fravær nærmer sig 10 % i kvartalet',
  'Forældrene oplever at eleven har ondt i maven om morgenen',
  'Eleven har trukket sig fra klassens fællesskab',
];

export const RELAPSE_CONCERN_NOTE = 'Fraværet er vendt tilbage efter et afsluttet forløb';

export const STEP_NOTES: Readonly<Record<'class_community' | 'pupil_conversation' | 'parent_conversation', readonly string[]>> = {
  class_community: [
    'Klassefællesskabet kortlagt på teammødet; fraværsdata for klassen og eleven gennemgået',
    'Trivselsmåling og fraværsdata gennemgået i klasseteamet',
    'Relationer lærer–elev og elev–elev drøftet; mønster i fraværet på bestemte dage',
  ],
  pupil_conversation: [
    'Samtale holdt af den voksne eleven selv pegede på',
    'Eleven har fortalt om sine ønsker til hjælp og fra hvem',
    'Samtale med eleven; ønsker en fast voksen om morgenen',
  ],
  parent_conversation: [
    'Forældresamtale holdt; barrierer kortlagt med udgangspunkt i elevens ønsker',
    'Forældrene inviteret af skolelederen; samtale gennemført',
    'Samtale med forældrene; samtykke til inddragelse af PPR givet',
  ],
};

export const ACTION_PLAN_RATIONALES: readonly string[] = [
  'Kortlægningen viser udfordringer i alle tre spor; der er brug for en handleplan',
  'Fraværet er steget gennem kvartalet, og eleven mistrives i klassen',
  'Forældre, elev og skole er enige om at fraværet kræver en samlet indsats',
  'Fraværet er bekymrende og hænger sammen med både trivsel og faglighed',
  'Mønstret i fraværet (mandage og efter ferier) kræver faste aftaler',
];

export const CLOSE_RATIONALES: readonly string[] = [
  'Fraværet skyldtes en afgrænset sygdomsperiode; eleven kommer nu stabilt',
  'Samtalerne har løst udfordringen, og fremmødet er igen regelmæssigt',
  'Kortlægningen viser ikke behov for en handleplan; skolen følger fraværet som vanligt',
];

export const ESCALATION_REASONS: readonly string[] = [
  'Indsatserne har ikke haft tilstrækkelig effekt; sagen drøftes i ressourceteamet',
  'Fraværet er steget til over 15 % i kvartalet',
  'Behov for inddragelse af eksterne ressourcer (PPR, sundhedsplejerske, Børn og Unge)',
];

export const RELAPSE_PREVENTION_PLANS: readonly string[] = [
  'Ugentlig kontakt mellem tovholder og forældre frem til næste ferie; ved to fraværsdage i samme uge indkaldes til samtale',
  'Morgenmodtagelsen fortsætter et kvartal; klasseteamet holder særligt øje med fravær efter ferier',
  'Eleven har en fast voksen at gå til; fraværet gennemgås på hvert klasseteammøde resten af skoleåret',
  'Aftale om at forældrene straks kontakter skolen ved sygdom; opfølgende samtale efter fire uger',
  'Overgangen til næste klassetrin forberedes med eleven og forældrene; tovholderen følger op efter sommerferien',
];

export const BRIDGING_NOTES: Readonly<Record<'civil_society' | 'network' | 'other', readonly string[]>> = {
  civil_society: ['Den lokale idrætsforening', 'Spejderne i lokalområdet', 'Ungdomsskolens aftenhold', 'Lektiecafé på biblioteket'],
  network: ['Bedsteforældre hjælper med morgenerne', 'Fast legeaftale med en klassekammerat', 'Familiens netværk følger eleven til skole'],
  other: ['Fortsat kontakt til SSP', 'Fritidsjob via ungdomsskolen', 'Fortsat forløb hos sundhedsplejersken'],
};
