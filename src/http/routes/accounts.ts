import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AccountService, SignedIn } from '../../accounts/account-service.js';
import { clearedSessionCookie, sessionCookie } from '../../accounts/cookies.js';
import type { UserPrincipal } from '../../accounts/principal.js';
import { LiveboardError } from '../../domain/index.js';
import type { TokenRecord } from '../../store/accounts.js';
import { requireUser } from '../access.js';
import {
  ChangePasswordBody,
  CreatedTokenReply,
  CreateTokenBody,
  SignInBody,
  SignUpBody,
  TokenParams,
  TokensReply,
  UpdateMeBody,
  UserReply,
} from '../account-schemas.js';
import type { AppDependencies } from '../dependencies.js';
import type { Invitations } from '../invitations.js';

export interface AccountRouteDependencies extends AppDependencies {
  accountService: AccountService;
  invitations: Invitations;
  cookieName: string;
}

/** Sign-up, sign-in and out, the signed-in user, their password and their API tokens. */
export function accountRoutes(deps: AccountRouteDependencies): FastifyPluginAsync {
  const { config, accountService } = deps;
  const setSession = (reply: FastifyReply, signedIn: SignedIn): void => {
    void reply.header(
      'Set-Cookie',
      sessionCookie(
        deps.cookieName,
        signedIn.sessionSecret,
        Math.floor(config.sessionTtlMs / 1000),
        config.secureCookies,
      ),
    );
  };
  const clearSession = (reply: FastifyReply): void => {
    void reply.header('Set-Cookie', clearedSessionCookie(deps.cookieName, config.secureCookies));
  };

  return async (app) => {
    const routes = app.withTypeProvider<TypeBoxTypeProvider>();

    routes.post(
      '/auth/signup',
      {
        schema: { body: SignUpBody, response: { 201: UserReply } },
        config: {
          access: { kind: 'public' },
          errors: [
            'signup_closed',
            'username_taken',
            'too_many_attempts',
            'invitation_not_found',
            'invitation_unavailable',
            'board_not_found',
          ],
        },
      },
      async (request, reply) => {
        const { invitation } = request.body;
        if (config.signup === 'closed') {
          throw new LiveboardError('signup_closed', 'this server does not take new accounts');
        }
        if (config.signup === 'invite' && invitation === undefined) {
          throw new LiveboardError(
            'signup_closed',
            'this server takes new accounts only with an invitation',
            { field: 'invitation' },
          );
        }
        // Checked before the account exists, so a bad invitation leaves no account behind.
        if (invitation !== undefined) await deps.invitations.preview(invitation, request.principal.address);
        const signedIn = await accountService.signUp({ ...request.body, address: request.principal.address });
        if (invitation !== undefined) {
          await deps.invitations.accept(invitation, {
            kind: 'user',
            user: signedIn.user,
            credential: { kind: 'session', idHash: '' },
            address: request.principal.address,
          });
        }
        setSession(reply, signedIn);
        return reply.code(201).send({ user: signedIn.user });
      },
    );

    routes.post(
      '/auth/signin',
      {
        schema: { body: SignInBody, response: { 200: UserReply } },
        config: { access: { kind: 'public' }, errors: ['invalid_credentials', 'too_many_attempts'] },
      },
      async (request, reply) => {
        const signedIn = await accountService.signIn({ ...request.body, address: request.principal.address });
        // A new session every time (never the one the browser came with: no fixation), and the old
        // one ends.
        const old = request.principal;
        if (old.kind === 'user' && old.credential.kind === 'session') {
          await accountService.signOut(old.credential.idHash);
        }
        setSession(reply, signedIn);
        return reply.send({ user: signedIn.user });
      },
    );

    routes.post('/auth/signout', { config: { access: { kind: 'public' } } }, async (request, reply) => {
      const { principal } = request;
      if (principal.kind === 'user' && principal.credential.kind === 'session') {
        await accountService.signOut(principal.credential.idHash);
      }
      clearSession(reply);
      return reply.code(204).send();
    });

    routes.post(
      '/auth/signout-everywhere',
      { config: { access: { kind: 'session' } } },
      async (request, reply) => {
        const user = signedIn(request);
        await accountService.signOutEverywhere(user.user.id);
        clearSession(reply);
        return reply.code(204).send();
      },
    );

    routes.get(
      '/me',
      { schema: { response: { 200: UserReply } }, config: { access: { kind: 'signed_in' } } },
      async (request, reply) => reply.send({ user: signedIn(request).user }),
    );

    routes.patch(
      '/me',
      {
        schema: { body: UpdateMeBody, response: { 200: UserReply } },
        config: { access: { kind: 'session' } },
      },
      async (request, reply) => {
        const user = await accountService.updateDisplayName(
          signedIn(request).user.id,
          request.body.displayName,
        );
        return reply.send({ user });
      },
    );

    routes.post(
      '/me/password',
      {
        schema: { body: ChangePasswordBody },
        config: {
          access: { kind: 'session' },
          errors: ['invalid_credentials', 'too_many_attempts', 'user_not_found'],
        },
      },
      async (request, reply) => {
        const principal = signedIn(request);
        await accountService.changePassword({
          userId: principal.user.id,
          currentPassword: request.body.currentPassword,
          newPassword: request.body.newPassword,
          keepSessionIdHash: principal.credential.kind === 'session' ? principal.credential.idHash : '',
        });
        return reply.code(204).send();
      },
    );

    routes.get(
      '/me/tokens',
      { schema: { response: { 200: TokensReply } }, config: { access: { kind: 'session' } } },
      async (request, reply) => {
        const tokens = await deps.store.accounts.listTokens(signedIn(request).user.id);
        return reply.send({ tokens: tokens.map(tokenView) });
      },
    );

    routes.post(
      '/me/tokens',
      {
        schema: { body: CreateTokenBody, response: { 201: CreatedTokenReply } },
        config: { access: { kind: 'session' } },
      },
      async (request, reply) => {
        const { token, secret } = await accountService.createToken({
          userId: signedIn(request).user.id,
          ...request.body,
        });
        return reply.code(201).send({ token: tokenView(token), secret });
      },
    );

    routes.delete(
      '/me/tokens/:tokenId',
      {
        schema: { params: TokenParams },
        config: { access: { kind: 'signed_in' }, errors: ['token_not_found'] },
      },
      async (request, reply) => {
        // A token may end itself (`liveboard logout`), and nothing else of its owner's.
        const principal = signedIn(request);
        const { credential } = principal;
        if (credential.kind === 'token' && credential.tokenId !== request.params.tokenId) {
          throw new LiveboardError(
            'forbidden',
            'an API token may revoke only itself; use your browser session',
          );
        }
        await deps.store.accounts.revokeToken(principal.user.id, request.params.tokenId, new Date());
        return reply.code(204).send();
      },
    );
  };
}

function signedIn(request: FastifyRequest): UserPrincipal {
  requireUser(request.principal);
  return request.principal;
}

function tokenView(token: TokenRecord) {
  return {
    id: token.id,
    name: token.name,
    scope: token.scope,
    createdAt: token.createdAt,
    expiresAt: token.expiresAt,
    lastUsedAt: token.lastUsedAt,
  };
}
