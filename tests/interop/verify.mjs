// Independent verifier for Bekwaam credentials, built only from Digital Bazaar's
// libraries (no Bekwaam code). Usage: node verify.mjs credential.json
// Prints {"verified": true|false, "error": "..."} and exits 0 when verified, 1 otherwise.
// Offline: the document loader (loader.mjs) serves only the context files pinned in
// app/credentials/contexts/ (read from disk) and did:key documents generated locally.
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {documentLoader} from './loader.mjs';

function report(verified, error) {
  process.stdout.write(JSON.stringify({verified, ...(error ? {error} : {})}) + '\n');
  process.exitCode = verified ? 0 : 1;
}

function describe(result) {
  const errors = [];
  const collect = error => {
    if(!error) {
      return;
    }
    for(const item of [error].flat()) {
      errors.push(item.message || String(item));
      if(item.errors) {
        collect(item.errors);
      }
    }
  };
  collect(result.error);
  for(const item of result.results || []) {
    collect(item.error);
  }
  return [...new Set(errors)].join('; ') || 'verification failed';
}

const path = process.argv[2];
if(!path) {
  process.stderr.write('usage: node verify.mjs credential.json\n');
  process.exit(2);
}

try {
  const credential = JSON.parse(readFileSync(path, 'utf8'));
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});
  const result = await vc.verifyCredential({
    credential,
    suite,
    documentLoader,
    // A status list lives online; this verifier checks signatures only.
    checkStatus: async () => ({verified: true}),
  });
  report(result.verified, result.verified ? undefined : describe(result));
} catch(error) {
  report(false, error.message || String(error));
}
