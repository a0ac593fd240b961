import type { Command } from 'commander';
import type { Context } from '../main.js';
import { registerAudit } from './audit.js';
import { registerBackup } from './backup.js';
import { registerCheck } from './check.js';
import { registerChecklist } from './checklist.js';
import { registerDiagnose } from './diagnose.js';
import { registerGenerate } from './generate.js';
import { registerGuide } from './guide.js';
import { registerModels } from './models.js';
import { registerPlan } from './plan.js';
import { registerRegister } from './register.js';
import { registerServe } from './serve.js';
import { registerStart } from './start.js';
import { registerStatus } from './status.js';
import { registerTwin } from './twin.js';
import { registerZWave } from './zwave.js';

export function registerCommands(program: Command, ctx: Context): void {
  registerModels(program, ctx);
  registerCheck(program, ctx);
  registerGenerate(program, ctx);
  registerStart(program, ctx);
  registerServe(program, ctx);
  registerTwin(program, ctx);
  registerGuide(program, ctx);
  registerPlan(program, ctx);
  registerDiagnose(program, ctx);
  registerChecklist(program, ctx);
  registerRegister(program, ctx);
  registerStatus(program, ctx);
  registerBackup(program, ctx);
  registerAudit(program, ctx);
  registerZWave(program, ctx);
}
