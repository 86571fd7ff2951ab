// The browser side of presigned uploads: no build step, no library. The API answers with either one
// signed PUT or a multipart plan; the bytes go straight to S3 and never through the API.
'use strict';

const API = ''; // same origin as this page: PagesFunction serves it through the API it calls
const PARALLEL_PARTS = 4;
const POLL_MS = 1000;
const FINAL = new Set(['replicated', 'quarantined', 'failed']);

const $ = (id) => document.getElementById(id);

function show(status, text) {
  $('status').dataset.status = status;
  $('status').textContent = text || status;
}

async function sha256Base64(file) {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
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

// One PUT to a presigned URL with the headers it was signed over; resolves with the ETag S3 returns.
// Content-Length is signed too, but the browser sets it from the body itself.
function put(url, headers, blob, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(headers || {})) {
      if (name.toLowerCase() !== 'content-length') {
        xhr.setRequestHeader(name, value);
      }
    }
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300
      ? resolve(xhr.getResponseHeader('ETag'))
      : reject(new Error(`S3 answered ${xhr.status}`)));
    xhr.onerror = () => reject(new Error('network error during upload'));
    xhr.send(blob);
  });
}

async function uploadMultipart(file, plan, progress) {
  const { uploadId, partSize, partCount } = plan;
  // Parts S3 already holds (an earlier attempt) are not sent again.
  const held = new Map((await api('GET', `/uploads/${uploadId}/parts`)).parts.map((p) => [p.partNumber, p.etag]));
  const etags = new Map(held);
  const loaded = new Map([...held.keys()].map((n) => [n, Math.min(partSize, file.size - (n - 1) * partSize)]));
  const report = () => progress([...loaded.values()].reduce((a, b) => a + b, 0));
  const queue = [];
  for (let n = 1; n <= partCount; n++) {
    if (!held.has(n)) queue.push(n);
  }
  async function worker() {
    while (queue.length > 0) {
      // URLs expire within five minutes, so each part asks for its own just before sending.
      const batch = queue.splice(0, 1);
      const { parts } = await api('POST', `/uploads/${uploadId}/parts`, { partNumbers: batch });
      for (const part of parts) {
        const start = (part.partNumber - 1) * partSize;
        const blob = file.slice(start, Math.min(start + partSize, file.size));
        etags.set(part.partNumber, await put(part.url, part.headers, blob, (bytes) => {
          loaded.set(part.partNumber, bytes);
          report();
        }));
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL_PARTS, partCount) }, worker));
  const parts = [];
  for (let n = 1; n <= partCount; n++) parts.push({ partNumber: n, etag: etags.get(n) });
  await api('POST', `/uploads/${uploadId}/complete`, { parts });
}

async function pollUntilFinal(uploadId) {
  for (;;) {
    const upload = await api('GET', `/uploads/${uploadId}`);
    show(upload.status, upload.reason ? `${upload.status}: ${upload.reason}` : upload.status);
    if (upload.sha256) $('sha256').textContent = upload.sha256;
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
    show('hashing', 'computing SHA-256');
    const sha256 = await sha256Base64(file);
    $('sha256').textContent = sha256;
    show('requesting', 'requesting an upload URL');
    const plan = await api('POST', '/uploads', {
      fileName: file.name, contentType: file.type || 'application/octet-stream', size: file.size, sha256,
    });
    $('upload-id').textContent = plan.uploadId;
    show('uploading');
    if (plan.method === 'PUT') {
      await put(plan.url, plan.headers, file, progress);
    } else {
      await uploadMultipart(file, plan, progress);
    }
    progress(file.size);
    show('pending', 'uploaded; checking and replicating');
    await pollUntilFinal(plan.uploadId);
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
