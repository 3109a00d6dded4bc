export { LETTER_KINDS, isLetterKind, letterKindFor, type LetterKind } from './kinds';
export { LETTER_FIELDS, LetterDataError, fieldNamesFor, letterField, type LetterContext, type LetterField } from './fields';
export {
  LetterTemplateError,
  checkTemplate,
  fillTemplate,
  placeholdersOf,
  renderLetter,
  templateProblems,
  type LetterTemplate,
  type RenderedLetter,
  type TemplatePart,
} from './render';
export { parseLetterTemplate } from './template';
export { DEFAULT_LETTER_TEMPLATES_DIR, loadLetterTemplates, type LetterTemplates } from './loadTemplates';
export { createLetterDraftStore, type LetterDraftStore, type NewLetterDraft } from './store';
export { draftsRouter } from './routes';
export { createLetterTemplateStore, type LetterTemplateStore, type TemplateInForce } from './templateStore';
export { letterTemplatesRouter } from './templateRoutes';
export { letterDraft, letterDraftList, letterTemplate, letterTemplateInput, letterTemplateList, type LetterDraft } from './schemas';
