// @node-oauth/oauth2-server on Express 5 for the benchmark's workload: POST /token (client_credentials, client `bench`,
// client_secret_basic, tokens in a bounded in-memory map) and GET /hello. PORT. Prints READY.
import { timingSafeEqual } from 'node:crypto';
import OAuth2Server from '@node-oauth/oauth2-server';
import express from 'express';

const port = Number(process.env.PORT ?? 3300);
const client = { id: 'bench', clientId: 'bench', secret: 'bench-secret-0123456789abcdef', grants: ['client_credentials'] };
const tokens = new Map();
const maxTokens = 10_000;

function sameSecret(presented, expected) {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const oauth = new OAuth2Server({
  accessTokenLifetime: 3600,
  model: {
    async getClient(clientId, clientSecret) {
      if (clientId !== client.clientId || (clientSecret != null && !sameSecret(clientSecret, client.secret))) return false;
      return { id: client.id, clientId: client.clientId, grants: client.grants };
    },
    async getUserFromClient(found) {
      return { id: `client:${found.clientId}` };
    },
    async saveToken(token, found, user) {
      const saved = { ...token, client: found, user };
      tokens.set(token.accessToken, saved);
      if (tokens.size > maxTokens) tokens.delete(tokens.keys().next().value);
      return saved;
    },
    async getAccessToken(accessToken) {
      return tokens.get(accessToken) ?? false;
    },
    async validateScope(user, found, scope) {
      return scope ?? ['api:read'];
    },
  },
});

const app = express();
app.disable('x-powered-by');
app.use(express.urlencoded({ extended: false }));
app.get('/hello', (req, res) => res.json({ hello: 'world' }));
app.post('/token', async (req, res) => {
  const response = new OAuth2Server.Response(res);
  try {
    await oauth.token(new OAuth2Server.Request(req), response, { requireClientAuthentication: { client_credentials: true } });
    res.set(response.headers).status(response.status).json(response.body);
  } catch (error) {
    res.status(error.code || 500).json({ error: error.name, error_description: error.message });
  }
});
app.listen(port, '127.0.0.1', () => console.log(`READY oauth2-server ${port}`));
