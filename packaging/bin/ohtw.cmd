@echo off
rem ohtw, the OHT-50 Workstation command line, as installed with the desktop app: the app's own Electron
rem runs the bundled CLI as Node, so the native modules built for Electron load as they do in the app.
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\OHT-50 Workstation.exe" "%~dp0..\app.asar\dist\cli\ohtw.cjs" %*
exit /b %ERRORLEVEL%
