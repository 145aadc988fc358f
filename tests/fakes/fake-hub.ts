import { startTokenServer, type TokenServer } from './fake-token-server.js';

/**
 * A loopback Hugging Face Hub, as far as `doctor` needs it: `GET /api/whoami-v2` answers the token's
 * owner (the Hub's JSON shape) for the one valid token, and 401 with the Hub's error body otherwise.
 * Point `HF_ENDPOINT` at `url`.
 */
export interface FakeHub extends TokenServer {
  readonly token: string;
  readonly userName: string;
}

export async function startFakeHub(
  options: { token?: string; userName?: string; role?: 'read' | 'write' | 'fineGrained' } = {},
): Promise<FakeHub> {
  const token = options.token ?? 'hf_fakeHubToken0123456789abcdefghij';
  const userName = options.userName ?? 'intern-tester';
  const server = await startTokenServer((req) => {
    if (req.method !== 'GET' || req.path !== '/api/whoami-v2') return undefined;
    if (req.token !== token) {
      return { status: 401, body: { error: 'Invalid credentials in Authorization header' } };
    }
    return {
      status: 200,
      body: {
        type: 'user',
        id: '66a0b0c0d0e0f00000000001',
        name: userName,
        fullname: 'Intern Tester',
        isPro: false,
        orgs: [],
        auth: {
          type: 'access_token',
          accessToken: { displayName: 'ml-intern-bot', role: options.role ?? 'write' },
        },
      },
    };
  });
  return { ...server, token, userName };
}
