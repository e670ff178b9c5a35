/**
 * The import rules of DESIGN.md §2, checked by `npm run lint:imports` (scripts/lint-imports.ts) and by
 * test/unit/layering.test.ts. Type-only imports count (tsPreCompilationDeps): a type that points up
 * the layers ties the two folders as surely as a value does. What dependency-cruiser cannot say by
 * itself (cycles between the folders of src/core, named disk-writing imports) the script adds.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {name: 'no-circular', severity: 'error', comment: 'no import cycle between two files', from: {path: '^src/'}, to: {circular: true}},
    {name: 'core-no-oclif', severity: 'error', comment: 'src/core is the programmatic API: no oclif, no CLI glue', from: {path: '^src/core/'}, to: {path: ['(^|/)node_modules/@oclif/', '^src/(cli|commands)/']}},
    {name: 'core-no-ui', severity: 'error', comment: 'src/core never prints: terminal libraries belong to src/cli', from: {path: '^src/core/'}, to: {path: '(^|/)node_modules/(chalk|ora|listr2)/'}},
    {name: 'commands-no-io', severity: 'error', comment: 'a command file never touches the disk or spawns: it calls core', from: {path: '^src/commands/'}, to: {path: ['^(node:)?fs(/promises)?$', '(^|/)node_modules/(fs-extra|execa)/']}},
    {name: 'execa-only-in-proc', severity: 'error', comment: 'every process wicker starts goes through src/core/proc', from: {path: '^src/', pathNot: '^src/core/proc/'}, to: {path: '(^|/)node_modules/execa/'}},
    {name: 'fs-extra-only-in-store', severity: 'error', comment: 'src/core/store is the code that writes to the disk', from: {path: '^src/', pathNot: '^src/core/store/'}, to: {path: '(^|/)node_modules/fs-extra/'}},
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: {fileName: 'tsconfig.json'},
    doNotFollow: {path: 'node_modules'},
  },
}
