#!/usr/bin/env node
/*
 * Generates src/generated/openapi.ts (TypeScript types of the gitops backend's routes) from
 * plugins/gitops-backend/src/schema/openapi.yaml with openapi-typescript, formatted by the
 * repository's prettier configuration.
 *
 *   node scripts/generate-api.mjs           write the file
 *   node scripts/generate-api.mjs --stdout  print what the file should contain (used by a test)
 *   node scripts/generate-api.mjs --check   exit 1 when the committed file is out of date
 *
 * Run it as `yarn workspace @kupe/plugin-gitops-common generate:api` after editing the YAML.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import prettier from 'prettier';

const here = path.dirname(fileURLToPath(import.meta.url));
const specPath = path.resolve(
  here,
  '../../gitops-backend/src/schema/openapi.yaml',
);
const outPath = path.resolve(here, '../src/generated/openapi.ts');

const HEADER = `/*
 * GENERATED FILE, do not edit. Source: plugins/gitops-backend/src/schema/openapi.yaml.
 * Regenerate with \`yarn workspace @kupe/plugin-gitops-common generate:api\`
 * (openapi-typescript); a test fails when this file is out of date with the document.
 */
/* eslint-disable */
`;

const tsdoc = summary => `/**\n * ${summary}\n *\n * @public\n */\n`;

async function generate() {
  const ast = await openapiTS(pathToFileURL(specPath), {
    // Optional properties stay optional (`?:`), as the hand-written types had them.
    exportType: false,
    alphabetize: false,
  });
  const options = (await prettier.resolveConfig(outPath)) ?? {};
  // The package's entry re-exports these two (as GitOpsApiPaths and GitOpsApiComponents):
  // documented and release-tagged, so its API report has no warnings.
  const source = astToString(ast)
    // A schema's description is the comment's summary; TSDoc knows no @description or
    // @enum (the type says the values).
    .replace(/ @description /g, ' ')
    .replace(/^[ \t]*\/\*\* @enum \{\w+\} \*\/\n/gm, '')
    .replace(/^[ \t]*\* @enum \{\w+\}\n/gm, '')
    .replace(
      /^export interface paths \{/m,
      `${tsdoc(
        'Every route of the document, keyed by path template.',
      )}export interface paths {`,
    )
    .replace(
      /^export interface components \{/m,
      `${tsdoc(
        'Every schema, parameter and response of the document.',
      )}export interface components {`,
    );
  return prettier.format(HEADER + source, {
    ...options,
    parser: 'typescript',
  });
}

const mode = process.argv[2];
const text = await generate();
if (mode === '--stdout') {
  process.stdout.write(text);
} else if (mode === '--check') {
  const current = fs.existsSync(outPath)
    ? fs.readFileSync(outPath, 'utf8')
    : '';
  if (current !== text) {
    process.stderr.write(
      `${path.relative(
        process.cwd(),
        outPath,
      )} is out of date with openapi.yaml; run yarn workspace @kupe/plugin-gitops-common generate:api\n`,
    );
    process.exit(1);
  }
} else {
  fs.mkdirSync(path.dirname(outPath), { recursive: true });
  fs.writeFileSync(outPath, text);
  process.stdout.write(`wrote ${path.relative(process.cwd(), outPath)}\n`);
}
