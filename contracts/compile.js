// Compiles contracts/src/*.sol offline with the pinned solc (npm) through standard JSON, which
// (unlike the solcjs command line) can set evmVersion: OpenZeppelin 5 needs cancun.
// Writes <out>/<Name>.abi and <out>/<Name>.bin for web3j's wrapper generator.
// Usage: node compile.js <out-dir>
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const out = process.argv[2];
if (!out) {
  console.error('usage: node compile.js <out-dir>');
  process.exit(2);
}
const srcDir = path.join(__dirname, 'src');
const sources = {};
for (const file of fs.readdirSync(srcDir).filter(f => f.endsWith('.sol')).sort()) {
  sources[file] = { content: fs.readFileSync(path.join(srcDir, file), 'utf8') };
}

const input = {
  language: 'Solidity',
  sources,
  settings: {
    evmVersion: 'cancun',
    viaIR: true,
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};

function findImports(importPath) {
  const candidate = path.join(__dirname, 'node_modules', importPath);
  if (fs.existsSync(candidate)) {
    return { contents: fs.readFileSync(candidate, 'utf8') };
  }
  return { error: 'not found: ' + importPath };
}

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (output.errors || []).filter(e => e.severity === 'error');
for (const e of output.errors || []) {
  console.error(e.formattedMessage);
}
if (errors.length > 0) {
  process.exit(1);
}

fs.mkdirSync(out, { recursive: true });
let written = 0;
for (const file of Object.keys(sources)) {
  for (const [name, contract] of Object.entries(output.contracts[file] || {})) {
    const bytecode = contract.evm.bytecode.object;
    if (!bytecode) {
      continue; // interfaces
    }
    fs.writeFileSync(path.join(out, name + '.abi'), JSON.stringify(contract.abi));
    fs.writeFileSync(path.join(out, name + '.bin'), bytecode);
    written++;
  }
}
console.log(`solc ${solc.version()}: compiled ${written} contracts into ${out}`);
