/**
 * The API contract's plumbing: the registry of named response schemas (each becomes a component
 * of the OpenAPI document, and so a named type in the console's generated client), the swagger
 * transforms that read it, and the type provider the route files use.
 *
 * Responses are serialized through fastify-type-provider-zod's serializer (server.ts): every
 * answer is encoded with its route's schema before it is sent. Response objects are strict, so
 * a field the document does not describe fails the response (500, logged) instead of reaching a
 * client undocumented — the API tests run every route through it.
 */
import { z } from 'zod';
import type { FastifyTypeProvider } from 'fastify';
import type { SwaggerTransformObject } from '@fastify/swagger';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';

/** Named schemas of the API (components/schemas in the OpenAPI document). */
export const apiSchemas = z.registry<{ id: string; description?: string }>();

/** Registers `schema` as the component `id` and returns it. */
export function named<S extends z.ZodType>(id: string, schema: S, description?: string): S {
  apiSchemas.add(schema, description ? { id, description } : { id });
  return schema;
}

/**
 * Route schemas type the handler's answer; requests stay `unknown` because they are validated in
 * the handlers (server.ts: errors in the caller's language), not by Fastify.
 */
export interface ResponseTypeProvider extends FastifyTypeProvider {
  validator: unknown;
  serializer: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
}

/** Per route: zod schemas → JSON schemas, named ones as `$ref`s. */
export const openApiTransform = createJsonSchemaTransform({ schemaRegistry: apiSchemas });

const components = createJsonSchemaTransformObject({ schemaRegistry: apiSchemas });

/**
 * The document's components. The plugin writes an input and an output variant of every named
 * schema; these are response schemas, so components no operation reaches (the `…Input`
 * variants) are left out.
 */
export const openApiTransformObject: SwaggerTransformObject = (doc) => {
  const out = components(doc) as { components?: { schemas?: Record<string, unknown> } } & Record<string, unknown>;
  const schemas = out.components?.schemas ?? {};
  const refsIn = (v: unknown) => [...JSON.stringify(v).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
  const reached = new Set<string>();
  const visit = (ids: string[]) => {
    for (const id of ids) if (!reached.has(id)) (reached.add(id), visit(refsIn(schemas[id])));
  };
  visit(refsIn({ ...out, components: { ...out.components, schemas: {} } }));
  for (const id of Object.keys(schemas)) if (!reached.has(id)) delete schemas[id];
  return out as never;
};
