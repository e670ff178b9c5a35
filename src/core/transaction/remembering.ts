import type {Disk, FileInfo} from '../store/disk.js'

/**
 * A Disk that asks each lstat and realpath question once: for one pass of path checks (a plan's
 * staging paths, a journal record's moves). Every file of 900 is judged by its folders, the
 * course's and the staging folder's, which are the same for all of them: their answers are taken
 * once per pass instead of once per file. What is asked first (a file's own lstat and realpath) is
 * still asked of the disk. Everything else goes to the disk as it is.
 */
export function remembering(disk: Disk): Disk {
  const lstats = new Map<string, Promise<FileInfo | null>>()
  const reals = new Map<string, Promise<string>>()
  const once = <T>(seen: Map<string, Promise<T>>, path: string, ask: () => Promise<T>): Promise<T> => {
    let answer = seen.get(path)
    if (!answer) seen.set(path, (answer = ask()))
    return answer
  }
  return new Proxy(disk, {
    get(target, name) {
      if (name === 'lstat') return (path: string) => once(lstats, path, () => target.lstat(path))
      if (name === 'realpath') return (path: string) => once(reals, path, () => target.realpath(path))
      const value: unknown = Reflect.get(target, name, target)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
}
