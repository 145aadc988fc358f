import { startTokenServer, type TokenServer } from './fake-token-server.js';

/**
 * A loopback GitHub REST API, as far as `doctor` needs it: `GET /user` answers the authenticated
 * user for the one valid token and 401 "Bad credentials" otherwise, with GitHub's headers. It also
 * insists on a `User-Agent`, as GitHub does (403 without one). Point `GITHUB_API_URL` at `url`.
 */
export interface FakeGitHub extends TokenServer {
  readonly token: string;
  readonly login: string;
}

export async function startFakeGitHub(options: { token?: string; login?: string } = {}): Promise<FakeGitHub> {
  const token = options.token ?? 'ghp_fakeGitHubToken0123456789abcdefghij';
  const login = options.login ?? 'intern-tester';
  const server = await startTokenServer((req) => {
    if (req.method !== 'GET' || req.path !== '/user') return undefined;
    if (!req.headers['user-agent']) {
      return {
        status: 403,
        body: {
          message:
            'Request forbidden by administrative rules. Please make sure your request has a User-Agent header',
        },
      };
    }
    const rate = {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-github-api-version-selected': '2022-11-28',
    };
    if (req.token !== token) {
      return {
        status: 401,
        body: {
          message: 'Bad credentials',
          documentation_url: 'https://docs.github.com/rest',
          status: '401',
        },
        headers: rate,
      };
    }
    return {
      status: 200,
      body: { login, id: 1001, type: 'User', name: 'Intern Tester', html_url: `https://github.com/${login}` },
      headers: { ...rate, 'x-oauth-scopes': 'public_repo' },
    };
  });
  return { ...server, token, login };
}
