export {
  type CalendarInput,
  type CalendarItem,
  type CalendarKind,
  type Guest,
  hygieneCalendar,
} from './calendar.js';
export { type ChecklistInput, type ChecklistItem, CODE_HYGIENE, monthlyChecklist } from './checklist.js';
