// The browser side of presigned uploads: no build step, no library. The page uploads every file in parts
// (upload-parts.js streams them); the bytes go straight to S3 and never through the API.
'use strict';

const API = ''; // same origin as this page (the local suite); set to the API's URL when hosted elsewhere
const POLL_MS = 1000;
const FINAL = new Set(['replicated', 'quarantined', 'failed']);

const $ = (id) => document.getElementById(id);

function show(status, text) {
  $('status').dataset.status = status;
  $('status').textContent = text || status;
}

async function api(method, path, tenant, body) {
  const response = await fetch(API + path, {
    method,
    headers: { 'Content-Type': 'application/json', 'X-Tenant-Id': tenant },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) {
    const fields = (json.fields || []).map((f) => `${f.field} ${f.message}`).join('; ');
    throw new Error(`${json.error}${fields ? ': ' + fields : ''}`);
  }
  return json;
}

async function pollUntilFinal(uploadId, tenant) {
  for (;;) {
    const upload = await api('GET', `/uploads/${uploadId}`, tenant);
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
  const tenant = $('tenant').value.trim();
  const progress = (bytes) => { $('progress').value = file.size === 0 ? 1 : bytes / file.size; };
  $('start').disabled = true;
  try {
    show('requesting', 'requesting an upload');
    const uploadId = await PartUploads.send(file, (method, path, body) => api(method, path, tenant, body), {
      // The same file picked again after a reload resumes its upload.
      storageKey: `supportress-upload:${tenant}:${file.name}:${file.size}:${file.lastModified}`,
      onUpload: (id) => { $('upload-id').textContent = id; },
      onProgress: progress,
      onStatus: show,
    });
    progress(file.size);
    show('pending', 'uploaded; checking and replicating');
    await pollUntilFinal(uploadId, tenant);
  } catch (error) {
    show('error', error.message);
  } finally {
    $('start').disabled = false;
  }
}

$('upload-form').addEventListener('submit', upload);
