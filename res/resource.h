/* resource.h: the ids of every resource in the .rc files of res/, shared by the .rc files and the code. */
#ifndef SHUTDOWNLAB_RESOURCE_H
#define SHUTDOWNLAB_RESOURCE_H

#define IDI_APP 1

/* menus and accelerators */
#define IDM_MAIN 100
#define IDA_MAIN 101

/* commands (WM_COMMAND ids) */
#define IDC_FILE_EXPORT_TEXT 200
#define IDC_FILE_EXIT 201
#define IDC_RUN_STEP 210
#define IDC_RUN_RUN 211
#define IDC_RUN_PAUSE 212
#define IDC_RUN_RESET 213
#define IDC_HELP_ABOUT 220

/* child windows */
#define IDC_LOG 300

/* strings (STRINGTABLE) */
#define IDS_APP_TITLE 1000
#define IDS_COL_TIME 1001
#define IDS_COL_SIDE 1002
#define IDS_COL_STEP 1003
#define IDS_COL_EVENT 1004
#define IDS_RUN_DONE 1005
#define IDS_RUN_FAILED 1006
#define IDS_USAGE 1007

#endif
