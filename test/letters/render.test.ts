/**
 * The letter renderer and the shipped templates, as pure functions: every kind renders from a
 * realistic case, dates are Danish, and a template naming a field the case does not have is
 * refused as a whole, with the field named.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bridgingSentence, danishDate, danishGrade } from '../../src/letters/danish';
import { LETTER_FIELDS, fieldNamesFor, type LetterContext } from '../../src/letters/fields';
import { LETTER_KINDS, letterKindFor, type LetterKind } from '../../src/letters/kinds';
import { DEFAULT_LETTER_TEMPLATES_DIR, loadLetterTemplates } from '../../src/letters/loadTemplates';
import { LetterTemplateError, checkTemplate, fillTemplate, renderLetter, templateProblems, type LetterTemplate } from '../../src/letters/render';
import { parseLetterTemplate } from '../../src/letters/template';
import {
  ACTION_PLAN_DUE,
  CLOSURE,
  PARENT_CONVERSATION_DUE,
  caseInActionPlan,
  closedAfterMapping,
  closedCase,
  entryOf,
  openedCase,
} from './views';

const shipped = loadLetterTemplates();
const templateOf = (kind: LetterKind): LetterTemplate => shipped.byKind.get(kind)!;

function contextFor(kind: LetterKind): LetterContext {
  switch (kind) {
    case 'parent_conversation_invitation': {
      const walk = openedCase();
      return { view: walk.view, entry: entryOf(walk, 'opened') };
    }
    case 'action_plan_meeting_invitation': {
      const walk = caseInActionPlan();
      return { view: walk.view, entry: entryOf(walk, 'phase_entered', 'action_plan') };
    }
    case 'closure_summary': {
      const walk = closedCase();
      return { view: walk.view, entry: entryOf(walk, 'closed') };
    }
  }
}

/** Catches the error a call throws, so a test can look at it. */
function refusal(work: () => unknown): LetterTemplateError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(LetterTemplateError);
    return error as LetterTemplateError;
  }
  throw new Error('expected a LetterTemplateError, but nothing was thrown');
}

const template = (kind: LetterKind, body: string, subject = 'Et emne'): LetterTemplate => ({ kind, source: 'test.md', subject, body });

describe('Danish wording of case facts', () => {
  it.each([
    ['2026-11-18', '18. november 2026'],
    ['2027-01-05', '5. januar 2027'],
    ['2026-03-01', '1. marts 2026'],
    ['2026-05-31', '31. maj 2026'],
    ['2026-12-24', '24. december 2026'],
  ])('when the date %s is written in a letter, then it reads "%s"', (iso, danish) => {
    expect(danishDate(iso)).toBe(danish);
  });

  it('when a value that is not a date is given, then it is refused rather than written wrongly', () => {
    expect(() => danishDate('18-11-2026')).toThrow(RangeError);
    expect(() => danishDate('2026-13-01')).toThrow(RangeError);
  });

  it('when the grade is written, then it reads "6. klasse" (and "0. klasse" for the youngest)', () => {
    expect(danishGrade(6)).toBe('6. klasse');
    expect(danishGrade(0)).toBe('0. klasse');
  });

  it('when the bridging decision has a note, then the sentence ends with the note and one full stop', () => {
    expect(bridgingSentence({ decision: 'civil_society', note: 'Spejderne' })).toMatch(/: Spejderne\.$/);
    expect(bridgingSentence({ decision: 'network', note: 'Mormor henter om onsdagen.' })).toMatch(/: Mormor henter om onsdagen\.$/);
    expect(bridgingSentence({ decision: 'none' })).toMatch(/ikke er brug for at bygge bro.*\.$/);
  });
});

describe('which announced entries call for a letter', () => {
  it('when the case opens, enters the action plan and closes, then those entries (and only those) call for the three letters', () => {
    const opened = openedCase();
    expect(opened.announced.map(letterKindFor).filter(Boolean)).toEqual(['parent_conversation_invitation']);
    const actionPlan = caseInActionPlan();
    expect(actionPlan.announced.map(letterKindFor).filter(Boolean)).toEqual(['action_plan_meeting_invitation']);
    const closed = closedCase();
    expect(closed.announced.map(letterKindFor).filter(Boolean)).toEqual(['closure_summary']);
    // The mapping phase being entered at opening and the follow-up phase call for none.
    expect(letterKindFor({ event: 'phase_entered', phase: 'mapping' })).toBeUndefined();
    expect(letterKindFor({ event: 'phase_entered', phase: 'follow_up' })).toBeUndefined();
    expect(letterKindFor({ event: 'step_overdue', phase: 'mapping' })).toBeUndefined();
  });
});

describe('rendering the shipped templates', () => {
  it.each(LETTER_KINDS)('when a %s letter is rendered for a realistic case, then every placeholder is filled and the parents are addressed without a name', (kind) => {
    const letter = renderLetter(templateOf(kind), contextFor(kind));
    expect(letter.subject).toMatch(/\S/);
    expect(letter.subject).not.toMatch(/\n/);
    expect(`${letter.subject}\n${letter.body}`).not.toMatch(/\{\{|\}\}/);
    // A pupil the directory has no name for is written of in neutral words, never as a blank to fill in.
    expect(letter.body).toMatch(/^Kære forældre$/m);
    expect(letter.body).toMatch(/^Vi skriver til jer som forældre til eleven i 6\. klasse \(elevreference P-4711\)\./m);
    expect(letter.body).not.toMatch(/\[[^\]]*navn[^\]]*\]/i);
    expect(letter.body).not.toMatch(/\d{6}-?\d{4}/);
    expect(letter.body).toContain('S1');
    expect(letter.body).toMatch(/Med venlig hilsen/);
  });

  it('when the parents are invited to the conversation, then the letter gives the conversation’s due date in Danish and the tovholder', () => {
    const letter = renderLetter(templateOf('parent_conversation_invitation'), contextFor('parent_conversation_invitation'));
    expect(letter.body).toContain(`senest den ${PARENT_CONVERSATION_DUE}`);
    expect(letter.body).toContain('den 2. november 2026');
    expect(letter.body).toContain('tovholder-kim');
    expect(letter.body).not.toMatch(/2026-\d\d-\d\d/);
  });

  it('when the parents are invited to the action-plan meeting, then the letter gives the action plan’s due date in Danish', () => {
    const letter = renderLetter(templateOf('action_plan_meeting_invitation'), contextFor('action_plan_meeting_invitation'));
    expect(letter.body).toContain(`senest den ${ACTION_PLAN_DUE}`);
    expect(letter.body).not.toContain(PARENT_CONVERSATION_DUE);
  });

  it('when the closure is summed up, then the letter has the relapse-prevention plan, the measures (to keep) and the bridging with its note', () => {
    const letter = renderLetter(templateOf('closure_summary'), contextFor('closure_summary'));
    expect(letter.body).toContain('den 15. december 2026');
    expect(letter.body).toContain(CLOSURE.relapsePreventionPlan);
    expect(letter.body).toContain('- Fast morgenmøde med trivselskontakten\n- Makkerordningen i klassen');
    expect(letter.body).toContain('- Undervisning, mens det er svært at komme i skole: Onlineundervisning de dage eleven er hjemme (ansvarlig: Dansklæreren)');
    expect(letter.body).toContain('Fodboldklubben i lokalområdet.');
  });

  it('when a case closes straight after its mapping, then the summary says there was no action plan and nothing to keep', () => {
    const walk = closedAfterMapping();
    const letter = renderLetter(templateOf('closure_summary'), { view: walk.view, entry: entryOf(walk, 'closed') });
    expect(letter.body).toContain('- Forløbet blev afsluttet efter kortlægningen, uden en handleplan.');
    expect(letter.body).toContain('- Der er ikke aftalt tiltag, som skal fortsætte.');
    expect(letter.body).toMatch(/ikke er brug for at bygge bro til andre tilbud lige nu\./);
  });

  it('when the municipality lists the school’s name, then {{schoolName}} gives the name; otherwise the school’s id', () => {
    const context = contextFor('parent_conversation_invitation');
    const body = '{{schoolName}} ({{schoolId}})';
    expect(renderLetter(template('parent_conversation_invitation', body), { ...context, schoolName: 'Søndermarksskolen' }).body).toBe('Søndermarksskolen (S1)\n');
    expect(renderLetter(template('parent_conversation_invitation', body), context).body).toBe('S1 (S1)\n');
  });

  it('when a text the school typed has several lines, then a subject built from it stays on one line', () => {
    const context = contextFor('closure_summary');
    const letter = renderLetter(template('closure_summary', 'x', 'Afsluttet {{closedOn}} – {{bridging}}'), context);
    expect(letter.subject).not.toMatch(/\n/);
  });
});

describe('refusing a bad template', () => {
  it('when a template names a field no case has, then it is refused with that field named and nothing is rendered', () => {
    const bad = template('parent_conversation_invitation', 'Kære {{parentName}}, vi ses senest den {{dueOn}}.');
    const error = refusal(() => renderLetter(bad, contextFor('parent_conversation_invitation')));
    expect(error.field).toBe('parentName');
    expect(error.message).toContain('"parentName"');
    expect(error.message).toContain('test.md');
    expect(error.message).toContain('pupilRef');
  });

  it('when a template names a field its kind of letter does not have, then it is refused with that field named', () => {
    const bad = template('parent_conversation_invitation', 'Sådan undgår vi tilbagefald: {{relapsePreventionPlan}}');
    const error = refusal(() => checkTemplate(bad));
    expect(error.field).toBe('relapsePreventionPlan');
    expect(error.message).toMatch(/a parent_conversation_invitation letter does not have it/);
    // The closure summary has the field: the same text is fine there.
    expect(() => checkTemplate({ ...bad, kind: 'closure_summary' })).not.toThrow();
  });

  it('when the subject names an unknown field, then it is refused too', () => {
    const error = refusal(() => checkTemplate(template('closure_summary', 'ok', 'Til {{pupilCpr}}')));
    expect(error.field).toBe('pupilCpr');
    expect(error.message).toContain('subject');
  });

  it.each([
    ['a name with a space', 'Kære {{pupil Ref}}'],
    ['an empty placeholder', 'Kære {{}}'],
    ['a placeholder never closed', 'Kære {{pupilRef'],
    ['a closing brace pair alone', 'Kære pupilRef}}'],
    ['a single-brace placeholder inside double braces', 'Kære {{{pupilRef}}}'],
  ])('when a placeholder is written wrongly (%s), then the template is refused', (_what, body) => {
    refusal(() => checkTemplate(template('parent_conversation_invitation', body)));
  });

  it('when a field with several lines is put in the subject, then the template is refused naming it', () => {
    const error = refusal(() => checkTemplate(template('closure_summary', 'ok', 'Plan: {{measures}}')));
    expect(error.field).toBe('measures');
  });

  it('when a text is filled and a field has no value, then it is refused rather than left half-filled', () => {
    const error = refusal(() => fillTemplate('Kære forældre til {{pupilRef}} på {{schoolId}}', { pupilRef: 'P-1' }, 'x.md'));
    expect(error.field).toBe('schoolId');
  });

  it('when placeholders have spaces inside the braces, then they are filled all the same', () => {
    expect(fillTemplate('Kære {{ pupilRef }}', { pupilRef: 'P-1' })).toBe('Kære P-1');
  });
});

describe('template files', () => {
  const valid = '---\nsubject: Invitation til samtale om {{pupilRef}}\n---\nKære forældre til {{pupilRef}}\n';

  it('when a template file has a front matter with its subject, then subject and body are read (Windows line ends and a BOM too)', () => {
    const parsed = parseLetterTemplate('parent_conversation_invitation', `\uFEFF${valid.replace(/\n/g, '\r\n')}`, 'a.md');
    expect(parsed).toEqual({
      kind: 'parent_conversation_invitation',
      source: 'a.md',
      subject: 'Invitation til samtale om {{pupilRef}}',
      body: 'Kære forældre til {{pupilRef}}',
    });
    expect(parseLetterTemplate('parent_conversation_invitation', '---\nsubject: "Med: kolon"\n---\nx', 'b.md').subject).toBe('Med: kolon');
  });

  it.each([
    ['no front matter', 'Kære forældre\n', /front matter/],
    ['an unclosed front matter', '---\nsubject: Hej\nKære forældre\n', /closing/],
    ['no subject', '---\n# kun en kommentar\n---\nKære forældre\n', /no subject/],
    ['an unknown front matter key', '---\nsubject: Hej\nfrom: skolen\n---\nKære forældre\n', /"from"/],
    ['an empty body', '---\nsubject: Hej\n---\n\n', /empty body/],
  ])('when a template file has %s, then it is refused', (_what, text, message) => {
    expect(() => parseLetterTemplate('parent_conversation_invitation', text, 'c.md')).toThrow(message);
  });
});

describe('loading the templates at start', () => {
  let directory: string | undefined;
  afterEach(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
    directory = undefined;
  });

  async function directoryWith(files: Record<string, string>): Promise<string> {
    directory = await mkdtemp(path.join(os.tmpdir(), 'letters-'));
    for (const kind of LETTER_KINDS) {
      await writeFile(path.join(directory, `${kind}.md`), readFileSync(path.join(DEFAULT_LETTER_TEMPLATES_DIR, `${kind}.md`)));
    }
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(directory, name), text);
    return directory;
  }

  it('when the shipped templates are loaded, then every kind of letter has a valid template', () => {
    expect([...shipped.byKind.keys()].sort()).toEqual([...LETTER_KINDS].sort());
    for (const kind of LETTER_KINDS) expect(() => checkTemplate(templateOf(kind))).not.toThrow();
  });

  it('when a municipality’s template names an unknown field, then loading stops with the file and the field named', async () => {
    const dir = await directoryWith({ 'closure_summary.md': '---\nsubject: Afslutning\n---\nKære {{motherName}}\n' });
    expect(() => loadLetterTemplates(dir)).toThrow(/closure_summary\.md.*"motherName"/);
  });

  it('when a kind of letter has no template file, then loading stops naming the file', async () => {
    const dir = await directoryWith({});
    await rm(path.join(dir, 'action_plan_meeting_invitation.md'));
    expect(() => loadLetterTemplates(dir)).toThrow(/action_plan_meeting_invitation\.md/);
  });

  it('when schools.json names the schools, then their names are read; a malformed one stops the start', async () => {
    const dir = await directoryWith({ 'schools.json': JSON.stringify({ S1: 'Søndermarksskolen' }) });
    expect(loadLetterTemplates(dir).schoolNames.get('S1')).toBe('Søndermarksskolen');
    await writeFile(path.join(dir, 'schools.json'), JSON.stringify({ S1: 42 }));
    expect(() => loadLetterTemplates(dir)).toThrow(/schools\.json/);
    await writeFile(path.join(dir, 'schools.json'), '{ not json');
    expect(() => loadLetterTemplates(dir)).toThrow(/schools\.json/);
  });

  it('when the field list is read in templates/letters/README.md, then it documents exactly the fields the renderer knows, with the letters each is in', () => {
    const readme = readFileSync(path.join(DEFAULT_LETTER_TEMPLATES_DIR, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `\{\{(\w+)\}\}` \| ([^|]+) \|/gm)].map((match) => ({ name: match[1], letters: match[2]!.trim() }));
    expect(rows.map((row) => row.name).sort()).toEqual(LETTER_FIELDS.map((field) => field.name).sort());
    const LETTERS: Record<string, LetterKind[]> = {
      alle: [...LETTER_KINDS],
      'de to invitationer': ['parent_conversation_invitation', 'action_plan_meeting_invitation'],
      afslutning: ['closure_summary'],
    };
    for (const row of rows) {
      const kinds = LETTERS[row.letters];
      expect(kinds, `README row for ${row.name}`).toBeDefined();
      for (const kind of LETTER_KINDS) expect(fieldNamesFor(kind).includes(row.name!), `${row.name} in ${kind}`).toBe(kinds!.includes(kind));
    }
  });
});

describe('templateProblems, the one rule for files and templates set through the API', () => {
  const invitation = (subject: string, body: string): LetterTemplate => ({ kind: 'parent_conversation_invitation', source: 'api', subject, body });

  it('when a template is fine, then it has no problems', () => {
    for (const kind of LETTER_KINDS) expect(templateProblems(templateOf(kind))).toEqual([]);
  });

  it('when a template has several problems, then each is listed with its text (subject first), and checkTemplate throws the first', () => {
    const template = invitation('{{elevensNavn}} {{measures}}', 'Kære {{elevens navn}}');
    const problems = templateProblems(template);
    expect(problems.map((problem) => ({ part: problem.part, field: problem.field }))).toEqual([
      { part: 'subject', field: 'elevensNavn' },
      { part: 'subject', field: 'measures' },
      { part: 'body', field: undefined },
    ]);
    expect(problems[0]!.reason).toMatch(/^names the field "elevensNavn" in its subject, but no letter has it/);
    expect(problems[2]!.reason).toMatch(/"\{\{elevens navn\}\}" does not name a field/);
    expect(() => checkTemplate(template)).toThrow(problems[0]!.message);
  });

  it('when a text is empty, then the problem names that text', () => {
    expect(templateProblems(invitation(' ', '\n')).map((problem) => [problem.part, problem.reason])).toEqual([
      ['subject', 'has an empty subject'],
      ['body', 'has an empty body'],
    ]);
  });
});
