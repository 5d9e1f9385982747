/**
 * Fastify's own schema compilers (Ajv for what a request carries, fast-json-stringify for what a
 * response holds), each route's schemas compiled on their first use instead of all at `ready`.
 *
 * Why: every route declares its body, params, query and each response (errors included), and
 * compiling them all took about half a second of a start, which is how long every stream waits
 * after a restart before it can resume. A route nobody calls is never compiled. A schema that
 * cannot compile is still found by the tests, which call every route (the access matrix).
 */
import AjvCompiler from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;
type ValidatorFactory = NonNullable<CompilersFactory['buildValidator']>;
type SerializerFactory = NonNullable<CompilersFactory['buildSerializer']>;

/** What Ajv makes of a route's request schema: a function with its own `errors` and `schemaEnv`. */
type Validate = ReturnType<ReturnType<ValidatorFactory>>;

/** `make` runs once, at the first call; every later call goes straight to what it made. */
function onFirstCall<F extends (...args: never[]) => unknown>(make: () => F): F {
  let made: F | undefined;
  return ((...args: Parameters<F>) => (made ??= make())(...args)) as F;
}

/** Like onFirstCall, and Fastify reads the validator's `errors` after each call. */
function lazyValidator(make: () => Validate): Validate {
  let made: Validate | undefined;
  const validate = (data: unknown, context?: Parameters<Validate>[1]): unknown => {
    made ??= make();
    const result = made(data, context);
    lazy.errors = made.errors;
    return result;
  };
  // Fastify passes the parent object (so that Ajv could change a root value) only to a function
  // with a `schemaEnv`, as the one compiled later has. The rest of Ajv's fields nobody reads.
  const lazy = Object.assign(validate, { schemaEnv: true, errors: undefined }) as unknown as Validate;
  return lazy;
}

// One of each, as Fastify makes them, so that contexts with the same options share one Ajv.
const ajvCompilers = AjvCompiler();
const stringifyCompilers = SerializerSelector();

const buildValidator: ValidatorFactory = (externalSchemas, options) => {
  // Making the Ajv instance compiles its meta-schema, so that waits for the first request too.
  let compile: ReturnType<ValidatorFactory> | undefined;
  return (route) => lazyValidator(() => (compile ??= ajvCompilers(externalSchemas, options))(route));
};

const buildSerializer: SerializerFactory = (externalSchemas, options) => {
  let compile: ReturnType<SerializerFactory> | undefined;
  return (route) => onFirstCall(() => (compile ??= stringifyCompilers(externalSchemas, options))(route));
};

export const lazyCompilers: CompilersFactory = { buildValidator, buildSerializer };
