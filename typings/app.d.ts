/**
 * App-wide globals of the mini program. Types only.
 */

/** Replaced at build time by gulp (see gulpfile.js `defines`): the API origin, e.g. http://127.0.0.1:3000 */
declare const __MP_API_BASE__: string;
/** Replaced at build time: 'development' | 'production'. */
declare const __MP_ENV__: string;
/** Replaced at build time: the package version. */
declare const __MP_VERSION__: string;
