import type {Random} from '../../src/core/generate/random.js'

/**
 * Invented vocabularies. Known-side words are built from one syllable set and target-side words
 * from another, so the two languages never share a word (vocabulary tells them apart). The Han
 * variant draws target words from CJK ideographs at random: invented strings, not real text.
 */
const KNOWN_ONSETS = ['b', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'w', 'pl', 'gr', 'st', 'br']
const KNOWN_VOWELS = ['a', 'e', 'i', 'o', 'u', 'ee', 'oo']
const KNOWN_CODAS = ['', 'n', 't', 'p', 'ck', 'ng', 'sh', 'm']
const TARGET_ONSETS = ['v', 'z', 'x', 'q', 'j', 'ch', 'ñ', 'll', 'y', 'c', 'tz', 'vr']
const TARGET_VOWELS = ['á', 'é', 'í', 'ó', 'ú', 'ai', 'ei', 'ou', 'ä', 'ö']
const TARGET_CODAS = ['', 'r', 'l', 's', 'z', 'x']

function syllables(random: Random, onsets: string[], vowels: string[], codas: string[], min: number, max: number): string {
  let word = ''
  const n = random.int(min, max)
  for (let i = 0; i < n; i++) word += random.pick(onsets) + random.pick(vowels) + (i === n - 1 ? random.pick(codas) : '')
  return word
}

export type TargetScript = 'latin' | 'han'

export class Lexicon {
  private readonly knownSeen = new Set<string>()
  private readonly targetSeen = new Set<string>()

  constructor(
    private readonly random: Random,
    readonly script: TargetScript,
  ) {}

  knownWord(): string {
    for (let tries = 0; ; tries++) {
      // Longer words once short ones run out, so large courses never loop.
      const w = syllables(this.random, KNOWN_ONSETS, KNOWN_VOWELS, KNOWN_CODAS, 1, tries > 20 ? 4 : 2)
      if (!this.knownSeen.has(w)) {
        this.knownSeen.add(w)
        return w
      }
    }
  }

  targetWord(): string {
    for (let tries = 0; ; tries++) {
      const long = tries > 20 ? 2 : 0
      const w =
        this.script === 'han'
          ? String.fromCodePoint(...Array.from({length: this.random.int(1, 2 + long)}, () => 0x4e00 + this.random.int(0, 6000)))
          : syllables(this.random, TARGET_ONSETS, TARGET_VOWELS, TARGET_CODAS, 1, 3 + long)
      if (!this.targetSeen.has(w)) {
        this.targetSeen.add(w)
        return w
      }
    }
  }

  /** A word in neither vocabulary: for GATE violations that every definition catches. */
  foreignTargetWord(): string {
    return this.script === 'han' ? String.fromCodePoint(0x9fa0 + this.random.int(0, 4)) : `zzq${syllables(this.random, TARGET_ONSETS, TARGET_VOWELS, [''], 1, 1)}`
  }

  get targetJoiner(): string {
    return this.script === 'han' ? '' : ' '
  }
}
