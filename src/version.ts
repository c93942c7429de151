/** The suite's version (kept equal to package.json's by a test), readable without package.json at run time. */
export const VERSION = '0.1.0'
