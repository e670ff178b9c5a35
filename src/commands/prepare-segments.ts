import {Flags} from '@oclif/core'

import {BaseCommand, courseArg} from '../cli/base-command.js'
import {renderPrepare} from '../cli/render/prepare-segments.js'
import {gateFlag, orientationFlag} from '../cli/shared-flags.js'
import type {GateDefinition} from '../core/schemas/gate-definitions.js'
import {runPrepare} from '../core/segments/run.js'
import {intFlag} from '../cli/int-flags.js'

export default class PrepareSegments extends BaseCommand {
  static override summary = 'Split the missing baskets into seed-atomic work packets and render their prompts.'
  static override description = `Takes the LEGOs to write (detect's result, a --manifest from \`detect --out\`, --ids, --seeds, or --regenerate for existing baskets) and splits them into packets of whole seeds. Each packet holds its LEGOs, their seeds and earlier LEGOs, the 10 previous seed sentences, the 30 most recent new LEGOs, and the vocabulary each LEGO may use under --gate (default window: whole earlier LEGOs, which also pass every other definition). Packet ids are content hashes: the same input gives the same packets and the same run.

Writes .wicker/runs/<run>/plan.json, packets/ and prompts/ (one worker prompt per packet, one orchestrator prompt per group). With --shards N it also lays the packets out for N machines (whole packets, balanced by LEGO count) and prints each shard's packets; every machine computes the same split from the plan.

Exit codes: 0 ok; 2 usage (bad template, ids, range, a --manifest that does not exist, a bad --upload URL); 3 blocked (the run exists with other packets); 4 I/O.`

  static override examples = [
    {description: 'Packets of about 20 LEGOs for everything missing', command: '<%= config.bin %> <%= command.id %> spa_for_eng'},
    {description: 'The three-tier split: 3 segments × 3 orchestrators × 10 agents', command: '<%= config.bin %> <%= command.id %> spa_for_eng --segments 3 --orchestrators 3 --agents 10'},
    {description: 'Prompts for agents elsewhere, which upload to wicker serve through a tunnel', command: '<%= config.bin %> <%= command.id %> spa_for_eng --upload https://wicker.example.org'},
    {description: 'Split for three machines (launch --shard 1/3, 2/3, 3/3)', command: '<%= config.bin %> <%= command.id %> spa_for_eng --shards 3'},
    {description: 'Regenerate the baskets that fail GATE', command: '<%= config.bin %> <%= command.id %> spa_for_eng --regenerate-failing gate'},
  ]

  static override args = {course: courseArg}
  static override flags = {
    manifest: Flags.string({description: 'Missing manifest written by `wicker detect --out`.'}),
    ids: Flags.string({description: 'LEGO ids, comma-separated.'}),
    seeds: Flags.string({description: 'Seed range: S0010-S0050.'}),
    regenerate: Flags.boolean({description: 'Also take LEGOs that have a basket (listed by --ids/--seeds); each packet records the hash of the basket it replaces.'}),
    'regenerate-failing': Flags.string({description: 'Regenerate the baskets failing these validate checks, comma-separated (e.g. gate,containment).'}),
    'packet-size': intFlag('packet-size', {description: 'LEGOs per packet (whole seeds) [default: 20].'}),
    segments: intFlag('segments', {description: 'Waves that run one after another [default: 1].'}),
    orchestrators: intFlag('orchestrators', {description: 'Orchestrator sessions per segment [default: 1].'}),
    agents: intFlag('agents', {description: 'Agents per orchestrator: with --segments and --orchestrators, fixes the number of packets.'}),
    gate: gateFlag,
    'window-seeds': intFlag('window-seeds', {description: 'GATE window: seeds before in reach [default: 10].'}),
    'template-dir': Flags.string({description: 'Folder with worker.md and orchestrator.md templates [default: the bundled ones].'}),
    run: Flags.string({description: 'Name of the run [default: derived from the packets].'}),
    orientation: orientationFlag,
    shards: intFlag('shards', {description: 'Lay the packets out in N shards for N machines (launch --shard I/N), balanced by LEGO count, and print the split; recorded in the plan, so a launch with another N is refused.'}),
    upload: Flags.string({description: 'Base URL of a `wicker serve` the agents reach (https://wicker.example.org): each prompt then ends with the curl line that PUTs its output there.'}),
    'token-env': Flags.string({description: 'Environment variable the agents read their bearer token from; named in the prompts, never the token itself [default: WICKER_TOKEN].', dependsOn: ['upload']}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(PrepareSegments)
    const ui = this.makeUi(flags)
    const {result, warnings} = await ui.withProgress((onProgress) => runPrepare({
      ...this.courseOptions(args.course, flags),
      onProgress,
      manifest: flags.manifest,
      ids: flags.ids?.split(',').map((s) => s.trim()).filter(Boolean),
      seeds: flags.seeds,
      regenerate: flags.regenerate,
      regenerateFailing: flags['regenerate-failing']?.split(',').map((s) => s.trim()).filter(Boolean),
      packetSize: flags['packet-size'],
      segments: flags.segments,
      orchestrators: flags.orchestrators,
      agents: flags.agents,
      gate: {definition: flags.gate as GateDefinition | undefined, windowSeeds: flags['window-seeds']},
      templateDir: flags['template-dir'],
      run: flags.run,
      upload: flags.upload,
      tokenEnv: flags['token-env'],
      shards: flags.shards,
    }))
    this.finish(ui, {result, warnings, exitCode: 0, render: (u, r) => renderPrepare(u, r, args.course)})
  }
}
