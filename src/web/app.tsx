import { useEffect } from 'react';
import { AuthPage } from './account/auth-page.js';
import { InvitePage } from './account/invite-page.js';
import { SettingsPage } from './account/settings-page.js';
import { BoardPage } from './board/board-page.js';
import { BoardsPage } from './home/boards-page.js';
import { Link } from './link.js';
import { useRoute } from './router.js';
import { session } from './session.js';

export function App() {
  const route = useRoute();
  useEffect(() => {
    void session.load();
  }, []);
  switch (route.name) {
    case 'home':
      return <BoardsPage />;
    case 'board':
      return <BoardPage key={route.boardId} boardId={route.boardId} taskId={route.taskId} />;
    case 'signin':
    case 'signup':
      return <AuthPage key={route.name} mode={route.name} />;
    case 'invite':
      return <InvitePage />;
    case 'settings':
      return <SettingsPage />;
    case 'not_found':
      return (
        <div className="centered">
          <h1>Nothing here</h1>
          <Link to="/">All boards</Link>
        </div>
      );
  }
}
