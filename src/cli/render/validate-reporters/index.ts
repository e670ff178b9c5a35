import type {ValidateResult} from '../../../core/validate/validate.js'
import {githubReport} from './github.js'
import {junitReport} from './junit.js'
import {markdownReport} from './markdown.js'

/** validate --format: reporters over the same result data as the human text and --json. */
export const VALIDATE_FORMATS = ['github', 'junit', 'markdown'] as const
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number]

const REPORTERS: Record<ValidateFormat, (r: ValidateResult, cwd: string) => string> = {github: githubReport, junit: junitReport, markdown: markdownReport}

export const validateReport = (format: ValidateFormat, r: ValidateResult, cwd: string) => REPORTERS[format](r, cwd)
