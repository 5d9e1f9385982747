import type { Role, Visibility } from '../domain/index.js';

/** Each role in words: its name, and what it lets a member do. */
export const ROLE_WORDS: Record<Role, { name: string; can: string }> = {
  owner: { name: 'Owner', can: 'change everything, share the board and delete it' },
  editor: { name: 'Editor', can: 'add, change and move lists and tasks' },
  viewer: { name: 'Viewer', can: 'see the board and follow it live' },
};

export const VISIBILITY_WORDS: Record<Visibility, { name: string; detail: string }> = {
  private: { name: 'Private', detail: 'Only members see it.' },
  public: { name: 'Public', detail: 'Anyone with the link sees it; members edit it.' },
  public_edit: {
    name: 'Public, anyone edits',
    detail: 'Anyone with the link sees and edits its lists and tasks.',
  },
};
