/**
 * The embedded default's sign-in page: pick a role, a school and a name, and the service signs a
 * token for that person with its local key. Marked clearly as local on the page; it is mounted
 * only while no identity provider is configured.
 */
import { Router } from 'express';
import { z } from 'zod';
import { ALL_SCHOOLS, ROLES, principalFrom } from '../../access/principal';
import { schoolId } from '../../domain/schemas';
import { fromOwnSite, page, type UiContext } from '../context';
import { ROLE_LABELS } from '../danish';
import { asFormBody, formErrors, text, type FormErrors, NO_ERRORS } from '../forms';
import { cookieName, readCookie, setCookie } from '../session/cookies';
import { randomToken } from '../session/sessionStore';
import type { LocalSignIn } from './signInMode';
import { returnPath, startSession } from './session';

const FORM_COOKIE = 'ff_signin_form';

const localSignInForm = z.object({
  role: z.enum(ROLES),
  school: z.union([z.literal(ALL_SCHOOLS), schoolId]),
  name: z.string().trim().min(1).max(120),
});

const LABELS: Record<string, string> = { role: 'Rolle', school: 'Skole', name: 'Navn' };

export function localSignInRouter(ui: UiContext, mode: LocalSignIn): Router {
  const router = Router();

  const show = (req: Parameters<typeof page>[1], res: Parameters<typeof page>[2], values: Record<string, string>, errors: FormErrors, status = 200) => {
    // The form's own token (double-submit): the sign-in form too is refused when posted from elsewhere.
    const token = randomToken();
    setCookie(res, ui.cookies, FORM_COOKIE, token, 3600);
    page(
      ui,
      req,
      res,
      'sign-in-local.njk',
      {
        title: 'Log ind (lokal udgave)',
        formToken: token,
        returnTo: returnPath(req.query.til),
        values,
        errors,
        hasErrors: errors.list.length > 0,
        roles: ROLES.map((role) => ({ value: role, text: ROLE_LABELS[role] })),
      },
      status,
    );
  };

  router.get('/log-ind', (req, res) => {
    show(req, res, { role: 'leader', school: 'S1', name: '' }, NO_ERRORS);
  });

  router.post('/log-ind', async (req, res) => {
    const form = asFormBody(req.body);
    const expected = readCookie(req, cookieName(ui.cookies, FORM_COOKIE));
    if (expected === undefined || text(form, '_csrf') !== expected || !fromOwnSite(ui, req)) {
      show(req, res, { role: text(form, 'role'), school: text(form, 'school'), name: text(form, 'name') }, {
        byField: {},
        list: [],
        general: 'Formularen var for gammel. Prøv igen.',
      }, 403);
      return;
    }
    const values = { role: text(form, 'role'), school: text(form, 'school').trim(), name: text(form, 'name') };
    const parsed = localSignInForm.safeParse(values);
    if (!parsed.success) {
      const problem = {
        status: 400,
        title: 'Invalid',
        detail: '',
        errors: parsed.error.issues.map((issue) => ({ path: String(issue.path[0] ?? ''), message: issue.message })),
      };
      show(req, res, values, formErrors(problem, (path) => LABELS[path]), 400);
      return;
    }
    const principal = principalFrom({ sub: parsed.data.name, role: parsed.data.role, schools: [parsed.data.school] });
    const { token, expiresAt } = await mode.issueToken(principal);
    await startSession(ui, res, { principal, displayName: parsed.data.name, accessToken: token, expiresAt });
    res.redirect(303, returnPath(text(form, 'til')));
  });

  return router;
}
