import {Flags} from '@oclif/core'

import {BaseCommand, courseArg} from '../cli/base-command.js'
import {renderCollect} from '../cli/render/collect.js'
import {runCollect} from '../core/collect/run.js'

export default class Collect extends BaseCommand {
  static override summary = 'Bring agent output from git branches, patches and artifact folders into staging, with provenance.'
  static override description = `Reads the sources only: git refs through \`git ls-tree\` and \`git cat-file\` (never a checkout, merge or fetch), a patch's added files from its text (never applied), folders without following symlinks. Each file goes into the staging folder atomically and never over another file: content already in staging (under any name, .applied/ included) is skipped; a name taken by other content gets <name>.<hash>.json. Beside each written file, .<name>.provenance.json records the source, ref and commit, and original path (a dot-file: extract never reads it). Collecting twice writes nothing the second time.

Which files: for --git and --patch, those matching --paths (default: **/phase5_baskets_staging/**/*.json and **/phase3_baskets_staging/**/*.json); for --from, every *.json below the folder. A patch's modified, deleted or binary files are reported as ignored.

Exit codes: 0 ok; 1 findings (something was refused — a hostile name, a symlink or a non-regular file — and nothing of it was written); 2 usage (no source, a ref that names no commit, git not installed, a missing patch or folder); 4 I/O or git failure.`

  static override examples = [
    {description: 'Collect every Claude Code branch of the course\'s repository', command: '<%= config.bin %> <%= command.id %> spa_for_eng --git-branches \'claude/*\''},
    {description: 'A tag and a commit, from another clone', command: '<%= config.bin %> <%= command.id %> spa_for_eng --repo ../agents-clone --git run-7 --git 3f9c2ab'},
    {description: 'The files a Codex patch adds, and a downloaded CI artifact', command: '<%= config.bin %> <%= command.id %> spa_for_eng --patch codex.patch --from ./artifacts/shard-3 --json'},
  ]

  static override args = {course: courseArg}
  static override flags = {
    git: Flags.string({description: 'A branch, tag or commit to read files from (repeatable).', multiple: true}),
    'git-branches': Flags.string({description: 'Every local and remote-tracking branch whose name matches this glob, e.g. \'claude/*\' (repeatable).', multiple: true}),
    repo: Flags.string({description: 'The git repository --git and --git-branches read [default: the one holding the course].'}),
    paths: Flags.string({description: 'Glob of repository paths to collect from refs and patches (repeatable) [default: **/phase5_baskets_staging/**/*.json, **/phase3_baskets_staging/**/*.json].', multiple: true}),
    patch: Flags.string({description: 'A git diff or git format-patch file: the files it adds (repeatable).', multiple: true}),
    from: Flags.string({description: 'A folder, such as a downloaded CI artifact: its *.json files, recursing (repeatable).', multiple: true}),
    staging: Flags.string({description: 'Staging folder to write into (must exist) [default: phase5_baskets_staging/ in the course, made when missing].'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Collect)
    const ui = this.makeUi(flags)
    const {result, warnings} = await runCollect({
      ...this.courseOptions(args.course, flags),
      staging: flags.staging,
      repo: flags.repo,
      git: flags.git,
      gitBranches: flags['git-branches'],
      paths: flags.paths,
      patch: flags.patch,
      from: flags.from,
    })
    this.finish(ui, {result, warnings, exitCode: result.totals.refused > 0 ? 1 : 0, render: renderCollect})
  }
}
