// Shared offline document loader for verify.mjs and sign.mjs: serves only the
// context files pinned in app/credentials/contexts/ (read from disk) and did:key
// documents generated locally by the did:key driver; refuses everything else.
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';

const here = dirname(fileURLToPath(import.meta.url));
const contextDir = join(here, '..', '..', 'app', 'credentials', 'contexts');

// The same URL -> file map as app/credentials/contexts.py (CONTEXTS).
const CONTEXT_FILES = {
  'https://www.w3.org/ns/credentials/v2': 'credentials-v2.jsonld',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json': 'ob-v3p0-context-3.0.3.json',
  'https://w3id.org/security/multikey/v1': 'multikey-v1.jsonld',
  'https://www.w3.org/ns/did/v1': 'did-v1.jsonld',
};

const didKey = didKeyDriver();
didKey.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

export async function documentLoader(url) {
  if(Object.hasOwn(CONTEXT_FILES, url)) {
    const document = JSON.parse(readFileSync(join(contextDir, CONTEXT_FILES[url]), 'utf8'));
    return {contextUrl: null, documentUrl: url, document};
  }
  if(url.startsWith('did:key:')) {
    const document = await didKey.get({url});
    return {contextUrl: null, documentUrl: url, document};
  }
  throw new Error(`Document loader refused to load ${url} (offline verifier).`);
}
