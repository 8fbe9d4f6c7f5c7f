import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The console is served by renda at / (assets under /assets/), embedded in
// the binary: no CDN, no external font, everything in the bundle.
export default defineConfig({
  plugins: [vue()],
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    // Fonts and icons stay files of our own origin; small ones inline as data: URLs.
    assetsInlineLimit: 4096,
    chunkSizeWarningLimit: 4000,
    sourcemap: false,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts'
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) return 'element-plus'
          if (id.includes('node_modules')) return 'vendor'
        },
      },
    },
  },
})
