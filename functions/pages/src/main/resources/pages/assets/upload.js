// The browser side of presigned uploads: no build step, no library. The page uploads every file in parts
// (upload-parts.js streams them); the bytes go straight to S3 and never through the API.
'use strict';

const API = ''; // same origin as this page: PagesFunction serves it through the API it calls
const POLL_MS = 1000;
const FINAL = new Set(['replicated', 'quarantined', 'failed']);

const $ = (id) => document.getElementById(id);

function show(status, text) {
  $('status').dataset.status = status;
  $('status').textContent = text || status;
}

// Every call carries the signed-in user's token (signin.js); the API reads the tenant from it.
async function api(method, path, body) {
  const response = await fetch(API + path, {
    method,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await SignIn.bearerToken()}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    await SignIn.signOut('Your session ended; sign in again.');
  }
  if (!response.ok) {
    throw new Error(await problemText(response));
  }
  return response.json();
}

// Errors are RFC 9457 problem details: {type, title, status, detail, fields?: [{field, message}], requestId}.
// Anything else (a gateway's own error page) is shown by its status alone.
async function problemText(response) {
  let problem = {};
  try {
    problem = await response.json();
  } catch (ignored) {
    // not JSON
  }
  const fields = (problem.fields || []).map((f) => `${f.field} ${f.message}`).join('; ');
  const what = fields || problem.detail || problem.title || `HTTP ${response.status}`;
  return `${problem.title || 'Request failed'} (${response.status}): ${what}${problem.requestId ? ` [request ${problem.requestId}]` : ''}`;
}

async function pollUntilFinal(uploadId) {
  for (;;) {
    const upload = await api('GET', `/uploads/${uploadId}`);
    show(upload.status, upload.reason ? `${upload.status}: ${upload.reason}` : upload.status);
    if (upload.sha256 || upload.compositeSha256) $('sha256').textContent = upload.sha256 || upload.compositeSha256;
    if (upload.replicaRegion) {
      $('replica').textContent = `${upload.replicaRegion}, ${upload.replicationLagMillis} ms after arrival`;
    }
    if (FINAL.has(upload.status)) return upload;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function upload(event) {
  event.preventDefault();
  const file = $('file').files[0];
  const progress = (bytes) => { $('progress').value = file.size === 0 ? 1 : bytes / file.size; };
  $('start').disabled = true;
  try {
    show('requesting', 'requesting an upload');
    const uploadId = await PartUploads.send(file, api, {
      // The same file picked again by the same tenant after a reload resumes its upload.
      storageKey: `supportress-upload:${$('tenant').textContent}:${file.name}:${file.size}:${file.lastModified}`,
      onUpload: (id) => { $('upload-id').textContent = id; },
      onProgress: progress,
      onStatus: show,
    });
    progress(file.size);
    show('pending', 'uploaded; checking and replicating');
    await pollUntilFinal(uploadId);
  } catch (error) {
    show('error', error.message);
  } finally {
    $('start').disabled = false;
  }
}

$('upload-form').addEventListener('submit', upload);
SignIn.onChange((signedIn) => {
  $('upload-form').hidden = !signedIn;
  if (signedIn && $('status').dataset.status === 'idle') show('idle', 'choose a file');
});
