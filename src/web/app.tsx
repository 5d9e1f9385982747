import { BoardPage } from './board/board-page.js';
import { BoardsPage } from './home/boards-page.js';
import { Link } from './link.js';
import { useRoute } from './router.js';

export function App() {
  const route = useRoute();
  switch (route.name) {
    case 'home':
      return <BoardsPage />;
    case 'board':
      return <BoardPage key={route.boardId} boardId={route.boardId} />;
    case 'not_found':
      return (
        <div className="centered">
          <h1>Nothing here</h1>
          <Link to="/">All boards</Link>
        </div>
      );
  }
}
