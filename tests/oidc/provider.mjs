// A real OpenID Connect provider for the sign-in tests: node-oidc-provider (npm `oidc-provider`, pinned in
// package-lock.json) with its development sign-in form, one confidential client and two fixed accounts.
//
//   node tests/oidc/provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI
//
// Issuer http://127.0.0.1:PORT. Discovery at /.well-known/openid-configuration. PKCE is required of the
// client too. Any password signs in (the form is the provider's own development form), but only the
// accounts below exist: another login name is asked again, as a wrong password would be.
import Provider from 'oidc-provider';

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
if (!port || !clientId || !clientSecret || !redirectUri) {
  console.error('usage: node provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI');
  process.exit(2);
}

const ACCOUNTS = {
  'anna.karlsson': {
    name: 'Anna Karlsson', email: 'anna.karlsson@kommun.example', email_verified: true, groups: ['workshop-staff'],
  },
  'olle.svensson': {
    name: 'Olle Svensson', email: 'olle.svensson@annan.example', email_verified: true, groups: ['economy'],
  },
};

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  cookies: { keys: ['facilitation-tests-only'] },
  async findAccount(ctx, sub) {
    const account = ACCOUNTS[sub];
    if (!account) return undefined;
    return { accountId: sub, async claims() { return { sub, ...account }; } };
  },
});

provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${port}`);
});
