/**
 * A real OpenID Connect provider for tests (npm oidc-provider, in this process, plain http on
 * 127.0.0.1): the sign-in the service meets in production (authorization code + PKCE), with
 * access tokens our API verifies as they are, because they are JWTs for its audience that carry
 * `role` and `schools` (src/access/principal.ts).
 *
 * The login page is this file's own, not oidc-provider's devInteractions: those want a password
 * field too, add a consent page to click through, and print development warnings. Here a person
 * types a known account id and the consent is given at once, as a municipality's provider does for
 * its own applications.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Page } from 'playwright-core';
import { DEFAULT_AUDIENCE } from '../../src/access/tokens';
import type { Role } from '../../src/access/principal';

/** The resource indicator of our API; oidc-provider wants an absolute URI, the token's `aud` is set apart (setAudience). */
export const API_RESOURCE = 'urn:fravaersforloeb:api';

export interface TestAccount {
  role: Role;
  /** School ids, or ['*'] for every school. */
  schools: readonly string[];
  name: string;
}

export interface OidcProviderOptions {
  /** Where the client may be sent back after sign-in (and after sign-out). */
  redirectUris: readonly string[];
  postLogoutRedirectUris?: readonly string[];
  /** Keyed by account id: the login name typed on the sign-in page, and the tokens' `sub`. */
  accounts: Readonly<Record<string, TestAccount>>;
  /** Default 'fravaersforloeb-web'. */
  clientId?: string;
  /** Given: a confidential client (client_secret_basic). Left out: a public client (PKCE only). */
  clientSecret?: string;
  /** Also register the refresh_token grant (oidc-provider issues one only for `offline_access`). */
  refreshTokens?: boolean;
  /** `aud` of the access tokens; default the API's own ('fravaersforloeb'). */
  audience?: string;
  /** Lifetime of access tokens; default one hour. */
  accessTokenTtlSeconds?: number;
}

export interface OidcTestProvider {
  /** e.g. `http://127.0.0.1:41234`: the `iss` of every token. */
  readonly issuer: string;
  /** From the discovery document. */
  readonly jwksUri: string;
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  /** The `aud` access tokens issued from now on carry. */
  audience(): string;
  /** Issue tokens for another audience from now on (e.g. to see the API refuse them). */
  setAudience(audience: string): void;
  close(): Promise<void>;
}

/** Selectors of the provider's sign-in page (see fillLogin). */
export const LOGIN_SELECTORS = {
  /** `<input id="login" name="login">`, labelled "Bruger-id". */
  login: '#login',
  /** `<button type="submit">Log ind</button>`. */
  submit: '#login-submit',
  /** `<p role="alert">` shown after an unknown account id. */
  error: '#login-error',
  /** `<button type="submit">Log ud</button>` on the sign-out confirmation page. */
  logout: '#logout-submit',
} as const;

/**
 * On the provider's sign-in page: types the account id into `#login` (label "Bruger-id") and
 * clicks `#login-submit` ("Log ind"). Any account given to startOidcProvider signs in without a
 * password; consent is automatic, so the browser goes straight on to the client's redirect_uri.
 * An unknown id leaves the browser on the page with `#login-error`.
 */
export async function fillLogin(page: Page, accountId: string): Promise<void> {
  await page.locator(LOGIN_SELECTORS.login).fill(accountId);
  await page.locator(LOGIN_SELECTORS.submit).click();
}

/**
 * Starts the provider on 127.0.0.1 (a free port) with one client and the given accounts.
 *
 * - Authorization code flow with PKCE (S256) required for every client, public or confidential.
 * - Access tokens are ES256 JWTs for API_RESOURCE, which every authorization request gets by
 *   default (no `resource` parameter needed): `aud` = options.audience, plus `role` and
 *   `schools` of the account, so `createTokenVerifier({ keys: remoteKeys(jwksUri), issuer,
 *   audience })` accepts them as they are.
 * - ID tokens (ES256) carry `name`, `role` and `schools` when `profile` is in the scope.
 * - Sign-in: the browser lands on `/interaction/<uid>`; fillLogin(page, accountId) completes it
 *   (selectors in LOGIN_SELECTORS). Sign-out (end_session_endpoint) asks once: `#logout-submit`.
 */
export async function startOidcProvider(options: OidcProviderOptions): Promise<OidcTestProvider> {
  const clientId = options.clientId ?? 'fravaersforloeb-web';
  let audience = options.audience ?? DEFAULT_AUDIENCE;
  const accounts = options.accounts;
  const accountOf = (id: string | undefined): TestAccount | undefined =>
    id !== undefined && Object.hasOwn(accounts, id) ? accounts[id] : undefined;

  // The issuer URL must be known before the provider exists, so the port is taken first.
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signingKey: JWK = { ...(await exportJWK(privateKey)), kid: 'oidc-test-es256', alg: 'ES256', use: 'sig' };

  const { Provider, InvalidTarget } = await loadOidcProvider();
  const configuration = {
    clients: [
      {
        client_id: clientId,
        ...(options.clientSecret !== undefined ? { client_secret: options.clientSecret } : { token_endpoint_auth_method: 'none' }),
        // 'web' allows http redirect URIs for the code flow (it forbids them for implicit only).
        application_type: 'web',
        redirect_uris: [...options.redirectUris],
        post_logout_redirect_uris: [...(options.postLogoutRedirectUris ?? [])],
        response_types: ['code'],
        grant_types: options.refreshTokens ? ['authorization_code', 'refresh_token'] : ['authorization_code'],
        // Our one key is ES256; the default (RS256) would need an RSA key as well.
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], profile: ['name', 'role', 'schools'] },
    pkce: { required: () => true },
    findAccount(_ctx: unknown, id: string) {
      const account = accountOf(id);
      return Promise.resolve(
        account && {
          accountId: id,
          claims: () => Promise.resolve({ sub: id, name: account.name, role: account.role, schools: [...account.schools] }),
        },
      );
    },
    extraTokenClaims(_ctx: unknown, token: { accountId?: string }) {
      const account = accountOf(token.accountId);
      return Promise.resolve(account ? { role: account.role, schools: [...account.schools] } : undefined);
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => Promise.resolve(API_RESOURCE),
        // The token request names no resource: the one granted at authorization is used.
        useGrantedResource: () => Promise.resolve(true),
        getResourceServerInfo(_ctx: unknown, indicator: string) {
          if (indicator !== API_RESOURCE) return Promise.reject(new InvalidTarget());
          return Promise.resolve({
            scope: 'openid',
            audience,
            accessTokenTTL: options.accessTokenTtlSeconds ?? 3600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          });
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource(ctx: KoaContext, form: string) {
          ctx.type = 'html';
          ctx.body = page('Log ud', `${form}<h1>Log ud</h1><p>Vil du logge ud?</p>
<button id="logout-submit" type="submit" form="op.logoutForm" name="logout" value="yes">Log ud</button>`);
          return Promise.resolve();
        },
        postLogoutSuccessSource(ctx: KoaContext) {
          ctx.type = 'html';
          ctx.body = page('Logget ud', '<h1>Du er logget ud</h1>');
          return Promise.resolve();
        },
      },
    },
    // Explicit lifetimes: the defaults work but print a notice each time they are used.
    ttl: {
      AccessToken: options.accessTokenTtlSeconds ?? 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 24 * 3600,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
    clientBasedCORS: () => false,
    renderError(ctx: KoaContext, out: Record<string, unknown>) {
      ctx.type = 'html';
      ctx.body = page('Fejl', `<h1>Fejl</h1><p id="oidc-error">${escapeHtml(JSON.stringify(out))}</p>`);
      return Promise.resolve();
    },
  };

  // Constructed quietly: it warns about the in-memory adapter, which is what a test wants.
  const unmute = muteNotices();
  let provider: OidcProvider;
  try {
    provider = new Provider(issuer, configuration);
  } finally {
    unmute();
  }
  // oidc-provider reports its own failures as events; unheard, a 500 would leave no trace.
  provider.on('server_error', (_ctx: unknown, error: unknown) => {
    process.stderr.write(`[oidc-provider] server_error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  });
  const handleOidc = provider.callback();
  const interactions = interactionHandler(provider, accounts);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) void interactions(req, res);
    else void handleOidc(req, res);
  });

  const discovered = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri?: unknown };
  if (typeof discovered.jwks_uri !== 'string') throw new Error('oidc-provider: discovery document without jwks_uri');
  const jwksUri = discovered.jwks_uri;

  return {
    issuer,
    jwksUri,
    clientId,
    clientSecret: options.clientSecret,
    audience: () => audience,
    setAudience(next) {
      audience = next;
    },
    async close() {
      // Browsers keep connections alive; without this close() would wait for them.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

// --- the parts of oidc-provider used here (the package ships no type declarations) ---

interface KoaContext {
  type: string;
  body: unknown;
}

interface PromptDetails {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

interface InteractionDetails {
  uid: string;
  prompt: { name: string; details: PromptDetails };
  params: Record<string, unknown>;
  session?: { accountId: string };
  grantId?: string;
}

interface ProviderGrant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  addResourceScope(indicator: string, scope: string): void;
  save(): Promise<string>;
}

interface OidcProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: object, options: { mergeWithLastSubmission: boolean }): Promise<void>;
  Grant: {
    new (properties: { accountId: string; clientId: string }): ProviderGrant;
    find(id: string): Promise<ProviderGrant | undefined>;
  };
}

interface OidcProviderModule {
  Provider: new (issuer: string, configuration: object) => OidcProvider;
  errors: { InvalidTarget: new (description?: string) => Error };
}

async function loadOidcProvider(): Promise<{ Provider: OidcProviderModule['Provider']; InvalidTarget: OidcProviderModule['errors']['InvalidTarget'] }> {
  // Through a variable: a literal specifier would make tsc look for the missing declarations
  // (TS7016), and a project-wide `declare module` would type it for every file, not just this one.
  const specifier = 'oidc-provider';
  // Imported quietly: on Node 20 it warns once that it wants Node 22 (it runs fine on 20.18+).
  const unmute = muteNotices();
  try {
    const module = (await import(specifier)) as OidcProviderModule;
    return { Provider: module.Provider, InvalidTarget: module.errors.InvalidTarget };
  } finally {
    unmute();
  }
}

/** Our login page on GET and POST /interaction/<uid>; consent is granted without a page. */
function interactionHandler(provider: OidcProvider, accounts: Readonly<Record<string, TestAccount>>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        if (req.method !== 'POST') return sendHtml(res, 200, loginPage(details.uid));
        const login = new URLSearchParams(await readBody(req)).get('login')?.trim() ?? '';
        if (!Object.hasOwn(accounts, login)) return sendHtml(res, 200, loginPage(details.uid, login));
        await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
        return;
      }
      if (details.prompt.name === 'consent') {
        const accountId = details.session?.accountId;
        const clientId = details.params.client_id;
        if (accountId === undefined || typeof clientId !== 'string') throw new Error('consent without a signed-in account or client');
        const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
        const missing = details.prompt.details;
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
        await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
        return;
      }
      sendHtml(res, 501, page('Fejl', `<h1>Ukendt trin: ${escapeHtml(details.prompt.name)}</h1>`));
    } catch (error) {
      // Typically an expired or missing interaction cookie (a stale tab): say so on the page.
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) sendHtml(res, 400, page('Fejl', `<h1>Login fejlede</h1><p id="oidc-error">${escapeHtml(message)}</p>`));
      else res.end();
    }
  };
}

function loginPage(uid: string, rejectedLogin?: string): string {
  const error = rejectedLogin === undefined ? '' : `<p id="login-error" role="alert">Ukendt bruger-id: ${escapeHtml(rejectedLogin)}</p>`;
  return page(
    'Log ind',
    `<h1>Log ind</h1>${error}
<form method="post" action="/interaction/${encodeURIComponent(uid)}" autocomplete="off">
  <label for="login">Bruger-id</label>
  <input id="login" name="login" type="text" required autofocus value="${escapeHtml(rejectedLogin ?? '')}">
  <button id="login-submit" type="submit">Log ind</button>
</form>`,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>${escapeHtml(title)} – test-OIDC</title></head><body><main>${body}</main></body></html>`;
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// oidc-provider prints its notices with console.warn/info as "oidc-provider WARNING: …" or
// "… NOTICE: …" (coloured on a terminal); everything configured here is deliberate, so they are
// noise. Muting is counted so providers starting side by side put the console back only once.
const NOTICE = /oidc-provider (WARNING|NOTICE): /;
let muted = 0;
let unmuted: Pick<Console, 'warn' | 'info'> | undefined;

function muteNotices(): () => void {
  if (muted++ === 0) {
    const original = { warn: console.warn, info: console.info };
    unmuted = original;
    const isNotice = (args: unknown[]) => typeof args[0] === 'string' && NOTICE.test(args[0]);
    console.warn = (...args: unknown[]) => {
      if (!isNotice(args)) original.warn.apply(console, args);
    };
    console.info = (...args: unknown[]) => {
      if (!isNotice(args)) original.info.apply(console, args);
    };
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (--muted === 0 && unmuted) Object.assign(console, unmuted);
  };
}
