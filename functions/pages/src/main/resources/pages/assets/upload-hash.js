// Hashes one part off the page's thread: the part's bytes live in this worker only, and the page ends the worker
// as soon as the SHA-256 is back, which frees them at once instead of at some later garbage collection.
'use strict';

onmessage = async (event) => {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await event.data.arrayBuffer()));
  let binary = '';
  for (const byte of digest) binary += String.fromCharCode(byte);
  postMessage(btoa(binary));
};
