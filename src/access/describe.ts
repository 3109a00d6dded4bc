/** The access table as Markdown, for README.md (a test keeps the two the same). */
import { ACCESS_TABLE, CAPABILITIES, type Reach } from './policy';
import { ROLES } from './principal';
import { PROTECTED_ROUTES } from './routes';

const REACH_WORDS: Record<Reach, string> = {
  any: 'yes',
  school: 'own schools',
  all_schools: 'if bound to `*`',
  coordinated: 'own cases',
  escalated: 'escalated cases',
};

export function accessTableMarkdown(): string {
  const header = `| capability | ${ROLES.join(' | ')} | routes |`;
  const rule = `| --- | ${ROLES.map(() => '---').join(' | ')} | --- |`;
  const rows = CAPABILITIES.map((capability) => {
    const cells = ROLES.map((role) => {
      const reach = ACCESS_TABLE[capability][role];
      return reach === undefined ? '–' : REACH_WORDS[reach];
    });
    const routes = PROTECTED_ROUTES.filter((route) => route.capability === capability || route.withoutSchool === capability).map(
      (route) => `\`${route.method} ${route.path}\`${route.withoutSchool === capability ? ' (no schoolId)' : ''}`,
    );
    return `| ${capability} | ${cells.join(' | ')} | ${routes.join(', ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}
