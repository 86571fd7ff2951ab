// The report form and the reporter's follow-up view: no build step, no library, nothing inline (the page's CSP).
// The form posts to /incidents; the receipt's follow-up token then authorizes GET /incidents/{id} and its messages.
// The link to the follow-up view keeps id and token in the URL's fragment, which browsers never send to a server.
'use strict';

const $ = (id) => document.getElementById(id);
const FIELDS = ['reporterEmail', 'reporterName', 'category', 'summary', 'description', 'affectedAccount', 'affectedUrl', 'occurredAt'];

// One Idempotency-Key per distinct submission: a second click (or a retry after a lost answer) sends the same body
// with the same key and files nothing new; a corrected form is a new submission with a new key.
let lastSubmission = { body: null, key: null };

function idempotencyKey(body) {
  if (body !== lastSubmission.body) {
    lastSubmission = { body, key: crypto.randomUUID() };
  }
  return lastSubmission.key;
}

function formBody() {
  const report = {};
  for (const name of FIELDS) {
    const value = $(name).value.trim();
    if (value !== '') {
      report[name] = value;
    }
  }
  return JSON.stringify(report);
}

function showFieldErrors(problem) {
  for (const name of FIELDS) {
    $(`error-${name}`).textContent = '';
    $(name).removeAttribute('aria-invalid');
  }
  for (const field of problem.fields || []) {
    const target = $(`error-${field.field}`);
    if (target) {
      target.textContent = field.message;
      $(field.field).setAttribute('aria-invalid', 'true');
    }
  }
}

function state(element, kind, text) {
  element.dataset.state = kind;
  element.textContent = text;
}

const MAX_ATTACHMENTS = 5;
const FINAL = new Set(['replicated', 'quarantined', 'failed']);

async function sha256Base64(file) {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

// An attachment is an upload owned by the report: the API signs a PUT over type, length and SHA-256, the bytes go
// straight to S3, and the same checks as every upload decide whether it is kept or quarantined.
async function attach(id, token, file) {
  const response = await fetch(`/incidents/${encodeURIComponent(id)}/attachments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ fileName: file.name, contentType: file.type || 'application/octet-stream', size: file.size,
      sha256: await sha256Base64(file) }),
  });
  const plan = await response.json();
  if (response.status !== 201) {
    const fields = (plan.fields || []).map((f) => `${f.field} ${f.message}`).join('; ');
    throw new Error(`${file.name}: ${plan.detail || plan.error || response.status}${fields ? ' (' + fields + ')' : ''}`);
  }
  const headers = {};
  for (const [name, value] of Object.entries(plan.headers || {})) {
    if (name.toLowerCase() !== 'content-length') {
      headers[name] = value;
    }
  }
  const put = await fetch(plan.url, { method: 'PUT', headers, body: file });
  if (!put.ok) {
    throw new Error(`${file.name}: the upload was refused (${put.status})`);
  }
}

async function attachAll(id, token, files) {
  const problems = [];
  for (const file of files) {
    try {
      await attach(id, token, file);
    } catch (e) {
      problems.push(e.message);
    }
  }
  $('error-attachments').textContent = problems.join('; ');
}

async function submitReport(event) {
  event.preventDefault();
  const button = $('submit');
  if (button.disabled) {
    return;
  }
  const files = Array.from($('attachments').files);
  if (files.length > MAX_ATTACHMENTS) {
    $('error-attachments').textContent = `at most ${MAX_ATTACHMENTS} files`;
    return;
  }
  button.disabled = true;
  const body = formBody();
  state($('report-status'), 'busy', 'Sending...');
  try {
    const response = await fetch('/incidents', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey(body) },
      body,
    });
    const answer = await response.json();
    if (response.status === 201) {
      showFieldErrors({});
      state($('report-status'), 'done', 'Thank you: your report was received.');
      $('report-form').hidden = true;
      if (answer.followUpToken && files.length > 0) {
        await attachAll(answer.id, answer.followUpToken, files);
      }
      showReceipt(answer);
      return;
    }
    showFieldErrors(answer);
    state($('report-status'), 'error', answer.detail || answer.error || answer.title || `The report was not accepted (${response.status}).`);
  } catch (e) {
    state($('report-status'), 'error', `The report could not be sent: ${e.message}. Sending again is safe.`);
  } finally {
    button.disabled = false;
  }
}

function followUpLink(id, token) {
  return `${location.origin}/report#${encodeURIComponent(id)}.${encodeURIComponent(token)}`;
}

function showReceipt(receipt) {
  $('receipt-id').textContent = receipt.id;
  $('receipt-token').textContent = receipt.followUpToken || '(given with the first answer only)';
  $('receipt-link').href = followUpLink(receipt.id, receipt.followUpToken || '');
  $('receipt').hidden = false;
  if (receipt.followUpToken) {
    followUp(receipt.id, receipt.followUpToken);
  }
}

async function followUp(id, token) {
  const response = await fetch(`/incidents/${encodeURIComponent(id)}`, { headers: { Authorization: `Bearer ${token}` } });
  const view = await response.json();
  $('follow-up').hidden = false;
  if (!response.ok) {
    state($('follow-state'), 'error', view.detail || view.error || 'No report with this id and token.');
    return;
  }
  $('follow-id').textContent = view.id;
  $('follow-status').textContent = view.status + (view.detailsRemoved ? ' (your contact details and texts have been removed)' : '');
  $('follow-status').dataset.status = view.status;
  $('follow-received').textContent = view.receivedAt;
  const list = $('follow-messages');
  list.replaceChildren(...view.messages.map((message) => {
    const item = document.createElement('li');
    item.dataset.from = message.from;
    item.textContent = `${message.from === 'reporter' ? 'You' : 'Security team'}, ${message.at}: ${message.text === undefined ? '(removed)' : message.text}`;
    return item;
  }));
  $('follow-attachments').replaceChildren(...view.attachments.map((attachment) => {
    const item = document.createElement('li');
    item.dataset.status = attachment.status;
    item.textContent = `${attachment.fileName || '(removed)'}: ${attachment.status}${attachment.reason ? ' (' + attachment.reason + ')' : ''}`;
    return item;
  }));
  $('message-form').hidden = view.status === 'resolved';
  $('message-form').onsubmit = (event) => sendMessage(event, id, token);
  // Attachments are checked after they arrive: look again until every one is kept or quarantined.
  if (view.attachments.some((attachment) => !FINAL.has(attachment.status))) {
    setTimeout(() => followUp(id, token), 1000);
  }
}

async function sendMessage(event, id, token) {
  event.preventDefault();
  const response = await fetch(`/incidents/${encodeURIComponent(id)}/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ text: $('message').value }),
  });
  const answer = await response.json();
  if (response.status === 201) {
    $('message').value = '';
    state($('follow-state'), 'done', 'Sent.');
    followUp(id, token);
  } else {
    state($('follow-state'), 'error', answer.detail || answer.error || `Not sent (${response.status}).`);
  }
}

$('report-form').addEventListener('submit', submitReport);
// /report#<id>.<token>: the follow-up view of a report, as the receipt's link opens it.
const fragment = decodeURIComponent(location.hash.slice(1));
if (/^inc_[a-z2-7]{32}\.fut_[a-z2-7]{32}$/.test(fragment)) {
  const [id, token] = fragment.split('.');
  $('report-form').hidden = true;
  followUp(id, token);
}
