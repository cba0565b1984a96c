// The generated router and document (scripts/generate-openapi-router.mjs).
export { createOpenApiRouter, spec } from './generated/router';
