// Sign-in for the pages, apart from what they do once signed in. Tenants sign in to Cognito's public endpoint with
// the calls any browser client makes (InitiateAuth USER_PASSWORD_AUTH, RespondToAuthChallenge for a first password;
// no SDK, no secret). The page sends the ID token: Cognito puts custom:tenant_id in ID tokens only, and an ID
// token's aud is the app client API Gateway's authorizer expects. Tokens stay in this script's memory, never in
// storage that another script could read later. With another OIDC issuer (no Cognito in /config.json) the page
// takes an ID token from that provider as it is.
'use strict';

const SignIn = (() => {
  // Renew the one-hour token this long before it expires, so a long upload never sends an expired one.
  const RENEW_BEFORE_MS = 5 * 60 * 1000;
  const $ = (id) => document.getElementById(id);
  const listeners = [];
  let cognitoSettings = null;
  let session = null;
  let challenge = null;

  function claimsOf(token) {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload.padEnd(payload.length + (4 - (payload.length % 4)) % 4, '=')));
  }

  function say(text, state) {
    $('sign-in-status').textContent = text;
    $('sign-in-status').dataset.state = state || 'info';
  }

  async function cognito(operation, body) {
    const response = await fetch(cognitoSettings.endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) {
      throw new Error(json.message || json.__type || `Cognito answered ${response.status}`);
    }
    return json;
  }

  function begin(idToken, refreshToken) {
    const claims = claimsOf(idToken);
    session = { idToken, refreshToken, expiresAt: claims.exp * 1000, claims };
    challenge = null;
    say('');
    render();
  }

  function render() {
    const signedIn = session !== null;
    $('sign-in-form').hidden = signedIn || cognitoSettings === null;
    $('token-form').hidden = signedIn || cognitoSettings !== null;
    // While Cognito asks for a new password, that is the only password the form takes.
    $('password-field').hidden = challenge !== null;
    $('password').required = challenge === null;
    $('new-password-field').hidden = challenge === null;
    $('new-password').required = challenge !== null;
    $('signed-in').hidden = !signedIn;
    $('user').textContent = signedIn ? (session.claims.email || session.claims['cognito:username'] || session.claims.sub) : '';
    $('tenant').textContent = signedIn ? (session.claims['custom:tenant_id'] || '-') : '';
    listeners.forEach((listener) => listener(signedIn));
  }

  async function signIn(event) {
    event.preventDefault();
    const username = $('email').value.trim();
    $('sign-in').disabled = true;
    try {
      const answer = challenge === null
        ? await cognito('InitiateAuth', {
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: cognitoSettings.clientId,
          AuthParameters: { USERNAME: username, PASSWORD: $('password').value },
        })
        : await cognito('RespondToAuthChallenge', {
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          ClientId: cognitoSettings.clientId,
          Session: challenge,
          ChallengeResponses: { USERNAME: username, NEW_PASSWORD: $('new-password').value },
        });
      if (answer.ChallengeName === 'NEW_PASSWORD_REQUIRED') {
        challenge = answer.Session;
        say('Choose a new password to finish your first sign-in.');
        render();
      } else if (answer.AuthenticationResult) {
        begin(answer.AuthenticationResult.IdToken, answer.AuthenticationResult.RefreshToken);
      } else {
        throw new Error(`sign-in needs ${answer.ChallengeName}, which this page does not support`);
      }
    } catch (error) {
      say(error.message, 'error');
    } finally {
      $('password').value = '';
      $('new-password').value = '';
      $('sign-in').disabled = false;
    }
  }

  function useToken(event) {
    event.preventDefault();
    try {
      begin($('token').value.trim(), null);
    } catch (error) {
      say('that is not a JWT', 'error');
    }
    $('token').value = '';
  }

  async function signOut(reason) {
    const refreshToken = session && session.refreshToken;
    session = null;
    render();
    say(typeof reason === 'string' ? reason : 'Signed out.');
    if (refreshToken) {
      // Revoking the refresh token is a courtesy to the user; the page forgets every token either way.
      await cognito('RevokeToken', { ClientId: cognitoSettings.clientId, Token: refreshToken }).catch(() => {});
    }
  }

  // The token for the API's Authorization header, renewed through the refresh token when it is about to expire.
  async function bearerToken() {
    if (session === null) {
      throw new Error('sign in first');
    }
    if (session.expiresAt - Date.now() < RENEW_BEFORE_MS) {
      if (!session.refreshToken) {
        await signOut('Your token expired; sign in again.');
        throw new Error('token expired');
      }
      const { AuthenticationResult } = await cognito('InitiateAuth', {
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: cognitoSettings.clientId,
        AuthParameters: { REFRESH_TOKEN: session.refreshToken },
      });
      begin(AuthenticationResult.IdToken, session.refreshToken);
    }
    return session.idToken;
  }

  async function start() {
    const settings = await (await fetch('/config.json')).json();
    cognitoSettings = settings.cognito;
    render();
  }

  $('sign-in-form').addEventListener('submit', signIn);
  $('token-form').addEventListener('submit', useToken);
  $('sign-out').addEventListener('click', () => signOut());
  start().catch((error) => say(`cannot load sign-in settings: ${error.message}`, 'error'));

  return {
    bearerToken,
    signOut,
    onChange: (listener) => listeners.push(listener),
  };
})();
