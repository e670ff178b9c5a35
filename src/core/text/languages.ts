/** Language names agents use as phrase keys ({english, mandarin}), by ISO 639 code. */
const NAMES: Record<string, string[]> = {
  eng: ['english'],
  spa: ['spanish', 'español', 'espanol'],
  cmn: ['mandarin', 'chinese'],
  zho: ['chinese', 'mandarin'],
  yue: ['cantonese'],
  fra: ['french'],
  deu: ['german'],
  ita: ['italian'],
  por: ['portuguese'],
  jpn: ['japanese'],
  kor: ['korean'],
  cym: ['welsh'],
  gle: ['irish'],
  nld: ['dutch'],
  rus: ['russian'],
  ara: ['arabic'],
}

export function languageNames(code: string | null): string[] {
  return code ? (NAMES[code.toLowerCase()] ?? []) : []
}
