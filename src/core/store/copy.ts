import {cp} from 'node:fs/promises'

/** Copies a folder and everything in it (the demo's sample course); `to` and its parents are made. */
export async function copyFolder(from: string, to: string): Promise<void> {
  await cp(from, to, {recursive: true})
}
