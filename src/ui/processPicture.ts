/** The process picture: on a case page with the case's own state marked, and on its own. */
import type { CaseView } from '../domain/schemas';
import { highlightFor, processDiagramSvg } from './processDiagram';

export function processDiagramFor(view: CaseView): Promise<string> {
  return processDiagramSvg({ highlight: highlightFor(view) });
}

export function processDiagramPage(): Promise<string> {
  return processDiagramSvg();
}
