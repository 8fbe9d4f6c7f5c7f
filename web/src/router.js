import { createRouter, createWebHashHistory } from 'vue-router'
import { session, loadMe, setUnauthenticatedHandler } from './api.js'
import Login from './pages/Login.vue'
import Layout from './pages/Layout.vue'
import ListPage from './pages/ListPage.vue'
import RecordPage from './pages/RecordPage.vue'
import ReportsPage from './pages/ReportsPage.vue'
import ImportPage from './pages/ImportPage.vue'
import DashboardPage from './pages/DashboardPage.vue'
import TrashPage from './pages/TrashPage.vue'
import AdminPage from './pages/AdminPage.vue'
import ReceptionsPage from './pages/ReceptionsPage.vue'
import ReceptionPage from './pages/ReceptionPage.vue'
import PointsPage from './pages/PointsPage.vue'
import ReviewPage from './pages/ReviewPage.vue'
import MinePage from './pages/MinePage.vue'

const kindPaths = 'deputies|villages|projects|inspections|activities|suggestions|sessions|presidium-meetings|livelihood-projects|townships'

export const router = createRouter({
  // Hash routes: the server serves one page at /, nothing else to route.
  history: createWebHashHistory(),
  routes: [
    { path: '/login', component: Login, meta: { title: '登录', public: true } },
    {
      path: '/',
      component: Layout,
      children: [
        { path: '', redirect: '/dashboard' },
        { path: 'dashboard', component: DashboardPage, meta: { title: '统计' } },
        { path: `:kind(${kindPaths})`, component: ListPage, meta: { title: '列表' } },
        { path: `:kind(${kindPaths})/:id`, component: RecordPage, meta: { title: '记录' } },
        { path: 'receptions', component: ReceptionsPage, meta: { title: '联络站接待' } },
        { path: 'receptions/:id', component: ReceptionPage, meta: { title: '接待日' } },
        { path: 'points', component: PointsPage, meta: { title: '履职积分' } },
        { path: 'review', component: ReviewPage, meta: { title: '审核' } },
        { path: 'mine', component: MinePage, meta: { title: '我的履职', deputy: true } },
        { path: 'reports', component: ReportsPage, meta: { title: '报表' } },
        { path: 'import', component: ImportPage, meta: { title: '导入' } },
        { path: 'trash', component: TrashPage, meta: { title: '回收站' } },
        { path: 'admin', component: AdminPage, meta: { title: '账号' } },
      ],
    },
    { path: '/:rest(.*)', redirect: '/' },
  ],
})

router.beforeEach(async (to) => {
  if (!session.known) {
    try {
      await loadMe()
    } catch (e) {
      session.known = true
    }
  }
  if (!to.meta.public && !session.me) return { path: '/login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  if (to.path === '/login' && session.me && session.me.open) return '/'
  // A deputy's own account has one page: what they submit for 审核.
  if (session.me && session.me.role === 'DEPUTY' && !to.meta.public && !to.meta.deputy) return '/mine'
})

setUnauthenticatedHandler(() => {
  const cur = router.currentRoute.value
  if (!cur.meta.public) router.push({ path: '/login', query: { next: cur.fullPath } })
})
