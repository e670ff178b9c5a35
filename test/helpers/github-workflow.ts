import {convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow} from '@actions/workflow-parser'

/**
 * GitHub's own workflow parser, offline: the schema check (unknown or missing keys, bad `${{ }}`
 * expressions, wrong value types) and then the conversion to a workflow model (jobs that `needs`
 * no such job, matrix and strategy errors). Every message of both, as "where: what".
 */
export async function workflowErrors(content: string): Promise<string[]> {
  const parsed = parseWorkflow({name: 'wicker.yml', content}, new NoOperationTraceWriter())
  const errors = parsed.context.errors.getErrors().map((e) => e.message)
  if (errors.length > 0 || !parsed.value) return errors.length > 0 ? errors : ['the parser returned no workflow']
  const template = await convertWorkflowTemplate(parsed.context, parsed.value)
  return [...(template.errors ?? []).map((e) => e.Message), ...parsed.context.errors.getErrors().map((e) => e.message)]
}
