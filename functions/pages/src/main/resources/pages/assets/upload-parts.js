// Streams one file to S3 in parts, never holding more of it in memory than the parts being hashed: each part's
// SHA-256 is computed with Web Crypto over its own Blob.slice, its URL is signed over that checksum (so S3 refuses
// any other bytes), and the slice itself, not a copy, is what the browser sends. Several parts go up at once; an
// upload interrupted by a reload resumes: the parts S3 already holds (listed with the checksums S3 verified) are
// kept when this file's part hashes to the same SHA-256, and only the rest are sent. No build step, no library.
'use strict';

const PartUploads = (() => {
  const PARALLEL_PARTS = 4;

  // A part's bytes are in memory only while they are hashed, one part at a time (hashing is quick next to sending),
  // in a worker that is ended right after: hashed on the page itself, freed buffers linger until a garbage
  // collection, and a 160 MiB upload grew the page's memory by some 70 MiB instead of some 15.
  const HASH_WORKER = document.currentScript.src.replace(/upload-parts\.js$/, 'upload-hash.js');
  let hashing = Promise.resolve();

  function sha256(blob) {
    const digest = hashing.then(() => new Promise((resolve, reject) => {
      const worker = new Worker(HASH_WORKER);
      worker.onmessage = (event) => { worker.terminate(); resolve(event.data); };
      worker.onerror = (event) => { worker.terminate(); reject(new Error(`hashing a part failed: ${event.message}`)); };
      worker.postMessage(blob);
    }));
    hashing = digest.catch(() => undefined);
    return digest;
  }

  // One PUT to a presigned URL with the headers it was signed over; resolves with the ETag S3 returns.
  // Content-Length is signed too, but the browser sets it from the body itself.
  function put(url, headers, blob, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('PUT', url);
      for (const [name, value] of Object.entries(headers || {})) {
        if (name.toLowerCase() !== 'content-length') xhr.setRequestHeader(name, value);
      }
      xhr.upload.onprogress = (event) => onProgress(event.loaded);
      xhr.onload = () => (xhr.status >= 200 && xhr.status < 300
        ? resolve(xhr.getResponseHeader('ETag'))
        : reject(new Error(`S3 answered ${xhr.status} for a part`)));
      xhr.onerror = () => reject(new Error('network error during upload'));
      xhr.send(blob);
    });
  }

  // The upload this file was last being sent as, if it is still open; else a new multipart upload.
  async function openUpload(file, api, storageKey) {
    const saved = localStorage.getItem(storageKey);
    if (saved) {
      try {
        const upload = await api('GET', `/uploads/${saved}`);
        if (upload.status === 'pending' && upload.method === 'MULTIPART' && upload.size === file.size) {
          const plan = JSON.parse(localStorage.getItem(`${storageKey}:plan`));
          if (plan && plan.uploadId === saved) return { ...plan, resumed: true };
        }
      } catch (ignored) {
        // gone or not ours any more: start over
      }
    }
    const plan = await api('POST', '/uploads', {
      fileName: file.name, contentType: file.type || 'application/octet-stream', size: file.size, method: 'MULTIPART',
    });
    localStorage.setItem(storageKey, plan.uploadId);
    localStorage.setItem(`${storageKey}:plan`, JSON.stringify(plan));
    return { ...plan, resumed: false };
  }

  // Sends the file; api(method, path, body) calls the upload API; onUpload gets the upload id as soon as there is one,
  // onProgress the bytes S3 holds, onStatus (status, text) each step. Resolves with the upload id once S3 has the object.
  async function send(file, api, { storageKey, onUpload, onProgress, onStatus }) {
    const plan = await openUpload(file, api, storageKey);
    const { uploadId, partSize, partCount } = plan;
    onUpload(uploadId);
    const held = new Map((await api('GET', `/uploads/${uploadId}/parts`)).parts.map((p) => [p.partNumber, p]));
    const done = new Map();
    const loaded = new Map();
    const report = () => onProgress([...loaded.values()].reduce((a, b) => a + b, 0));
    let next = 1;
    onStatus('uploading', plan.resumed ? `resuming: S3 holds ${held.size} of ${partCount} parts` : `${partCount} parts`);

    async function worker() {
      while (next <= partCount) {
        const partNumber = next++;
        const start = (partNumber - 1) * partSize;
        const slice = file.slice(start, Math.min(start + partSize, file.size));
        const checksum = await sha256(slice);
        const stored = held.get(partNumber);
        if (stored && stored.sha256 === checksum && stored.size === slice.size) {
          done.set(partNumber, { partNumber, etag: stored.etag, sha256: checksum });
        } else {
          // URLs expire within five minutes, so each part asks for its own just before sending.
          const { parts } = await api('POST', `/uploads/${uploadId}/parts`, { parts: [{ partNumber, sha256: checksum }] });
          const etag = await put(parts[0].url, parts[0].headers, slice, (bytes) => { loaded.set(partNumber, bytes); report(); });
          done.set(partNumber, { partNumber, etag, sha256: checksum });
        }
        loaded.set(partNumber, slice.size);
        report();
      }
    }

    await Promise.all(Array.from({ length: Math.min(PARALLEL_PARTS, partCount) }, worker));
    const parts = [];
    for (let n = 1; n <= partCount; n++) parts.push(done.get(n));
    await api('POST', `/uploads/${uploadId}/complete`, { parts });
    localStorage.removeItem(storageKey);
    localStorage.removeItem(`${storageKey}:plan`);
    return uploadId;
  }

  return { send };
})();
