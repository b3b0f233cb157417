// Signs a credential with Digital Bazaar's libraries, to compare byte for byte with
// Bekwaam's own signer (Ed25519 is deterministic, so equal inputs give equal proofs).
// Usage: node sign.mjs credential.json <32-byte Ed25519 seed as hex> <created dateTime>
// Prints the signed credential as JSON. For tests only: a key on a command line is visible.
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {documentLoader} from './loader.mjs';

const [path, seedHex, created] = process.argv.slice(2);
if(!path || !/^[0-9a-f]{64}$/i.test(seedHex || '') || !created) {
  process.stderr.write('usage: node sign.mjs credential.json <seed hex> <created>\n');
  process.exit(2);
}

const seed = Uint8Array.from(Buffer.from(seedHex, 'hex'));
const {publicKeyMultibase} = await Ed25519Multikey.generate({seed});
const controller = `did:key:${publicKeyMultibase}`;
const keyPair = await Ed25519Multikey.generate({seed, controller, id: `${controller}#${publicKeyMultibase}`});

const credential = JSON.parse(readFileSync(path, 'utf8'));
const suite = new DataIntegrityProof({
  signer: keyPair.signer(),
  cryptosuite: eddsaRdfc2022CryptoSuite,
  date: created,
});
const signed = await vc.issue({credential, suite, documentLoader});
process.stdout.write(JSON.stringify(signed) + '\n');
