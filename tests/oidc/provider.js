// A real OpenID provider (the OpenID-certified oidc-provider) for the tests, on loopback.
//
//   PORT=5XXXX CLIENTS='[{"client_id":..,"client_secret":..,"redirect_uris":[..]}]' \
//   ACCOUNTS='{"sub": {"email": .., "email_verified": true, "name": ..}}' node provider.js
//
// Its own log-in page (devInteractions) takes any login name as the account's subject; the
// test client is first-party, so no consent page is asked. Every start makes new signing
// keys, so two providers never share a key. Prints "ready <issuer>" once it listens.
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.ACCOUNTS || '{}');
const clients = JSON.parse(process.env.CLIENTS || '[]');

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signing = { ...(await exportJWK(privateKey)), kid: `key-${port}`, alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: clients.map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...client,
  })),
  jwks: { keys: [signing] },
  cookies: { keys: ['test-only-cookie-key'] },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  async findAccount(ctx, sub) {
    const account = accounts[sub] || { email: `${sub}@example.org`, email_verified: true, name: sub };
    return { accountId: sub, async claims() { return { sub, ...account }; } };
  },
  async loadExistingGrant(ctx) {
    const { client, session } = ctx.oidc;
    const grantId = session.grantIdFor(client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ accountId: session.accountId, clientId: client.clientId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    session.grantIdFor(client.clientId, grant.jti);
    return grant;
  },
});

provider.listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
