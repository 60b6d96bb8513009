export { resolveDueDate } from './meeting-dates.js';
export {
  summarizeMeeting,
  type ActionItem,
  type MeetingSummary,
  type SummarizeMeetingOptions,
} from './summarize-meeting.js';
