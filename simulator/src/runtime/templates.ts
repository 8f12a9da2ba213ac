import path from 'path';
import type { Project } from '../project/project';
import type { Sandbox } from '../sandbox/sandbox';
import { compileWxml } from '../compile/wcc';
import { templateClosure } from '../compile/template-closure';

export type TemplateLookup = (file: string) => unknown;

/**
 * The compiled `$gwx` of the project, evaluated in the sandbox. wcc compiles what the pages can
 * reach (see templateClosure); a template outside that set (a component met only at run time)
 * triggers one full compile.
 */
export function compileTemplates(project: Project, sandbox: Sandbox): TemplateLookup {
  const globalUsing = project.appJson.usingComponents ?? {};
  const tags = Object.keys(globalUsing);
  let compiled: Set<string> | null = null;
  let gwx: TemplateLookup;
  try {
    const files = templateClosure(project.root, project.routes, globalUsing);
    gwx = evaluateWcc(project, sandbox, compileWxml(project.root, tags, files));
    compiled = new Set(files);
  } catch {
    gwx = evaluateWcc(project, sandbox, compileWxml(project.root, tags));
  }
  return (file: string) => {
    if (compiled && !compiled.has(file)) {
      compiled = null;
      gwx = evaluateWcc(project, sandbox, compileWxml(project.root, tags));
    }
    return gwx(file);
  };
}

function evaluateWcc(project: Project, sandbox: Sandbox, source: string): TemplateLookup {
  const view = { __webview_engine_version__: 0.02 };
  // Names wcc assigns without declaring are declared here so they stay out of the app's global.
  const factory = sandbox.compileFunction(
    `var $gwx, $gwl, $gwn, wh, cs, env, gra, grb, _y, any1, any2, o, s, __WXML_GLOBAL__;\n${source}\nreturn $gwx;`,
    ['window', '__wxAppCode__', '__vd_version_info__'],
    path.join(project.root, '__wcc_output__.js'),
  );
  const gwx = factory(view, {}, {}) as TemplateLookup;
  if (typeof gwx !== 'function') throw new Error('wcc output did not define $gwx');
  return gwx;
}
